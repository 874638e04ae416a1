// The metric names the stacks' components expose: one contract that the components (which declare them in
// `Component.metrics`) and the monitoring stack (alert rules, dashboards) share, so a rename breaks a check
// instead of silently emptying a panel. Histograms are named without their _bucket/_sum/_count suffixes.

/** Every HTTP service of the fleet (OTT APIs, transcode API, inventory apps) on its `metrics` port. */
export const HTTP_METRICS = {
  /** Counter; labels: code, method, route. */
  requests: 'http_requests_total',
  /** Histogram; labels: method, route. */
  duration: 'http_request_duration_seconds',
} as const;

/** RTMP origin, through its exporter sidecar that reads xiu's HTTP API. */
export const ORIGIN_METRICS = {
  /** Gauge: streams being published. */
  publishers: 'xiu_active_publishers',
  /** Gauge: HTTP-FLV/HLS/RTMP subscribers; label: protocol. */
  subscribers: 'xiu_active_subscribers',
  /** Counters: bytes received from publishers / sent to viewers. */
  receivedBytes: 'xiu_received_bytes_total',
  sentBytes: 'xiu_sent_bytes_total',
} as const;

/** CDN edge, through its access-log exporter sidecar; labels: status, cache_status, method. */
export const EDGE_METRICS = {
  /** Counter of responses. */
  responses: 'edge_http_response_count_total',
  /** Counter of bytes sent. */
  bytes: 'edge_http_response_size_bytes',
  /** Histogram of upstream (origin) response time. */
  upstreamTime: 'edge_http_upstream_time_seconds',
} as const;

/** Transcoding API and workers; label device = cpu|gpu, profile. */
export const TRANSCODE_METRICS = {
  /** Counter; labels: device, profile, status (succeeded|failed|requeued). */
  jobs: 'transcode_jobs_total',
  /** Histogram; labels: device, profile. */
  jobDuration: 'transcode_job_duration_seconds',
  /** Gauge: jobs in progress on this worker. */
  inProgress: 'transcode_jobs_in_progress',
  /** Gauge: encoding speed relative to real time (2 = twice as fast as playback). */
  speed: 'transcode_speed_ratio',
} as const;
