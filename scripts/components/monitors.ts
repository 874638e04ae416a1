// Prometheus operator monitors: how an app's metrics port gets scraped. Prometheus selects every ServiceMonitor
// and PodMonitor of the cluster (empty selectors), so declaring one next to the app is all it takes.
import type { IPodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { appLabels, selectorLabels } from '../lib/labels.ts';
import type { K8sObject } from './component.ts';

/** Scrape the pods' named port directly (apps without a Service, such as queue workers). */
export const podMonitor = (s: { app: string; namespace: string; stack: string; port: string }): IPodMonitor & K8sObject => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PodMonitor',
  metadata: { name: s.app, namespace: s.namespace, labels: appLabels(s.app, s.stack) },
  spec: { podMetricsEndpoints: [{ port: s.port }], selector: { matchLabels: selectorLabels(s.app) } },
});

/** Scrape through the app's Service port of that name. */
export const serviceMonitor = (s: { app: string; namespace: string; stack: string; port: string }): IServiceMonitor & K8sObject => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: { name: s.app, namespace: s.namespace, labels: appLabels(s.app, s.stack) },
  spec: { endpoints: [{ port: s.port }], selector: { matchLabels: selectorLabels(s.app) } },
});
