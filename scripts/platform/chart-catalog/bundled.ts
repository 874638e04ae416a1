// Every committed chart catalog, imported as modules so that renders (which do no IO) can use them. tests/charts
// checks this list against the JSON files of the folder; `pnpm charts:catalog` writes the files.
import type { ChartCatalog } from './index.ts';
import argoCd from './argo-cd.json' with { type: 'json' };
import certManager from './cert-manager.json' with { type: 'json' };
import externalSecrets from './external-secrets.json' with { type: 'json' };
import gpuOperator from './gpu-operator.json' with { type: 'json' };
import ingressNginx from './ingress-nginx.json' with { type: 'json' };
import istioBase from './istio-base.json' with { type: 'json' };
import istioCni from './istio-cni.json' with { type: 'json' };
import istioIngressgateway from './istio-ingressgateway.json' with { type: 'json' };
import istiod from './istiod.json' with { type: 'json' };
import keda from './keda.json' with { type: 'json' };
import metricsServer from './metrics-server.json' with { type: 'json' };
import prometheusOperator from './prometheus-operator.json' with { type: 'json' };

/** Sorted by name. */
export const BUNDLED_CATALOGS: readonly ChartCatalog[] = [argoCd, certManager, externalSecrets, gpuOperator, ingressNginx, istioBase, istioCni, istioIngressgateway, istiod, keda, metricsServer, prometheusOperator] as readonly ChartCatalog[];
