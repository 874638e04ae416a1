// Probes of a service's main container: each spec probe mapped onto the Kubernetes Probe handler of its kind, with
// the spec's timing fields. Nothing is invented: a service without probes gets none (`pnpm validate` then says which
// are missing; a guessed HTTP path on a port that speaks something else would fail for ever).
//
// Checked: kubernetes/api @ v0.32.0 : core/v1/types.go (ProbeHandler: exec.command, httpGet.path/port,
// tcpSocket.port, grpc.port (int32 only) / grpc.service; Probe: initialDelaySeconds, timeoutSeconds, periodSeconds,
// failureThreshold).
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { Probe, Probes } from '../../inventory/system-schema.ts';

const TIMING = ['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold'] as const;

/** One spec probe as a Kubernetes probe; the schema's rules leave exactly one handler set. */
export const toK8sProbe = (p: Probe): IProbe => {
  const timing: IProbe = Object.fromEntries(TIMING.flatMap((k) => (p[k] !== undefined ? [[k, p[k]]] : [])));
  if (p.http) return { httpGet: { path: p.http.path, port: p.http.port }, ...timing };
  if (p.tcp) return { tcpSocket: { port: p.tcp.port }, ...timing };
  if (p.exec) return { exec: { command: [...p.exec.command] }, ...timing };
  if (p.grpc) return { grpc: { port: p.grpc.port, ...(p.grpc.service !== undefined ? { service: p.grpc.service } : {}) }, ...timing };
  throw new Error('a probe needs exactly one of http, tcp, exec or grpc');
};

/** The container's startup, readiness and liveness probes, those the spec gives. */
export const containerProbes = (probes: Probes | undefined): Pick<IContainer, 'startupProbe' | 'readinessProbe' | 'livenessProbe'> => ({
  ...(probes?.startup ? { startupProbe: toK8sProbe(probes.startup) } : {}),
  ...(probes?.readiness ? { readinessProbe: toK8sProbe(probes.readiness) } : {}),
  ...(probes?.liveness ? { livenessProbe: toK8sProbe(probes.liveness) } : {}),
});
