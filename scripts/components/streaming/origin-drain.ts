// How an origin replica leaves (rollout, scale-in, node drain) without cutting streams it need not cut. Kubernetes
// takes a terminating pod out of the RTMP Service at once, so new publishers already go to other replicas; this
// preStop hook then waits, at most `drainSeconds`, while publishers are still connected. Those that stop in that
// time finish normally; the rest are disconnected when xiu exits after the hook (xiu has no SIGTERM handler, see
// xiu-contract.ts) and their encoders reconnect through the load balancer to a remaining replica. Meanwhile the
// replica stays reachable for viewers through the headless Service (publishNotReadyAddresses), so nobody watching
// a stream that is still published here loses it before its publisher has moved.
//
// The xiu image is `ubuntu:latest` with no curl or ss: connections are read from /proc/net/tcp{,6}, where a
// publisher is a line whose local port is the RTMP port and whose state is 01 (ESTABLISHED). Under Istio the
// sidecar's connection to xiu has the same local port, so the count is the same.

/** The preStop script; POSIX sh, checked by shellcheck and run against real sockets in the tests. */
export const drainScript = (rtmpPort: number, drainSeconds: number): string => {
  const hexPort = rtmpPort.toString(16).toUpperCase().padStart(4, '0');
  return [
    `end=$(($(date +%s) + ${drainSeconds}))`,
    `while [ "$(date +%s)" -lt "$end" ] && grep -Eqs '^ *[0-9]+: [0-9A-F]+:${hexPort} [0-9A-F]+:[0-9A-F]+ 01 ' /proc/net/tcp /proc/net/tcp6; do`,
    `  sleep 1`,
    `done`,
  ].join('\n');
};

/** Grace period: the drain, then time for the sidecar to notice xiu is gone and nginx to stop. */
export const terminationGraceSeconds = (drainSeconds: number): number => drainSeconds + 15;

/**
 * Scale-in removes one origin replica per drain period, so at most one replica's publishers reconnect at a time;
 * the HPA caps a policy's period at 1800 s.
 */
export const originScaleDownPolicy = (drainSeconds: number): { type: 'Pods'; value: number; periodSeconds: number } => ({
  type: 'Pods',
  value: 1,
  periodSeconds: Math.min(1800, terminationGraceSeconds(drainSeconds) + 15),
});
