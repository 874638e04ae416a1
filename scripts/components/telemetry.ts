// Where apps send traces: the OpenTelemetry collector of the monitoring stack. One definition, so the apps'
// environment, the collector's Service and the NetworkPolicy allowing the traffic cannot disagree.
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import { MONITORING_NAMESPACE } from './network-policies.ts';

export const OTEL_COLLECTOR = 'otel-collector';
export const OTLP_GRPC_PORT = 4317;
export const OTLP_HTTP_PORT = 4318;
export const OTEL_COLLECTOR_HOST = `${OTEL_COLLECTOR}.${MONITORING_NAMESPACE}.svc.cluster.local`;

/** Standard OpenTelemetry SDK variables: every app exports traces over OTLP/gRPC to the collector. */
export const otelEnv = (serviceName: string, stack: string): IEnvVar[] => [
  { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: `http://${OTEL_COLLECTOR_HOST}:${OTLP_GRPC_PORT}` },
  { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: 'grpc' },
  { name: 'OTEL_RESOURCE_ATTRIBUTES', value: `service.namespace=${stack}` },
  { name: 'OTEL_SERVICE_NAME', value: serviceName },
];
