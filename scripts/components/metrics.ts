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

/**
 * CDN edge, through its access-log exporter sidecar (prometheus-nginxlog-exporter, namespace `edge` = metric prefix).
 * Labels: `method` and `status` (the exporter's built-in relabelings), `cache_status` and `kind`
 * (playlist|segment|flv|other, from the request path) as configured in edgeExporterConfig().
 * Checked: martin-helmich/prometheus-nginxlog-exporter @ v1.11.0 : pkg/metrics/collection_init.go (names, types),
 * pkg/relabeling/defaults.go (method, status), main.go (which log field feeds which metric), README.adoc.
 */
export const EDGE_METRICS = {
  /** Counter of responses; the only metric that also carries `only_counter` relabelings. */
  responses: 'edge_http_response_count_total',
  /** Counter of bytes sent (`$body_bytes_sent`); no `_total` suffix upstream. */
  bytes: 'edge_http_response_size_bytes',
  /**
   * Histogram of upstream (origin) response time (`$upstream_response_time`; absent on cache hits). The exporter's
   * `edge_http_upstream_time_seconds` is a summary (quantile series only); the histogram is the `_hist` one.
   */
  upstreamTime: 'edge_http_upstream_time_seconds_hist',
  /** Histogram of the whole response time as the viewer sees it (`$request_time`, needed in the log format). */
  responseTime: 'edge_http_response_time_seconds_hist',
} as const;

/**
 * Transcoding workers (our ffmpeg-worker images): the stack's own contract, exposed on the workers' `metrics` port.
 * Labels: `device` = cpu|gpu (worker type), `profile` (the encoding profile name), `resolution` = the rendition's
 * height as `<n>p` (e.g. 1080p). Histograms are named without _bucket/_sum/_count.
 */
export const TRANSCODE_METRICS = {
  /** Counter; labels: device, profile, resolution, status (succeeded|failed|requeued). */
  jobs: 'transcode_jobs_total',
  /** Histogram of a job's encoding time (taken → finished); labels: device, profile, resolution. */
  jobDuration: 'transcode_job_duration_seconds',
  /** Histogram of the time a job waited in the queue (published → taken by a worker); labels: device, profile. */
  queueTime: 'transcode_job_queue_seconds',
  /** Gauge: jobs in progress on this worker. */
  inProgress: 'transcode_jobs_in_progress',
  /** Gauge: encoding speed of the current job relative to real time (2 = twice as fast as playback); labels: device, resolution. */
  speed: 'transcode_speed_ratio',
  /** Histogram of the VMAF score (0-100) of each finished rendition against its source; labels: device, resolution. */
  vmaf: 'transcode_vmaf_score',
  /** Counter of object-storage requests (S3 API, MinIO or AWS); labels: device, operation (get|put|delete|list), status (ok|error). */
  storageOperations: 'transcode_storage_operations_total',
  /** Counter of bytes moved to/from object storage; labels: device, direction (read|write). */
  storageBytes: 'transcode_storage_bytes_total',
} as const;
