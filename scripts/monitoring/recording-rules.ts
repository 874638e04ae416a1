// Recording rules over the transcoding workers' metric contract (scripts/components/metrics.ts): job success ratio,
// queue-time and job-duration percentiles, encoding speed. They ship with each worker component (its base unit),
// over that worker's own scrape job, so every cluster running a worker records exactly its series and two workers
// never write the same series (each output keeps `job`). Dashboards read the recorded series; promtool tests prove
// the rules produce them (tests/monitoring/alert-rules-promtool.test.ts).
import { TRANSCODE_METRICS } from '../components/metrics.ts';
import type { MonitoredComponent } from './rules.ts';

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

const T = TRANSCODE_METRICS;

/** Quantiles recorded for durations (label `quantile`, as Prometheus summaries name it). */
export const RECORDED_QUANTILES = ['0.5', '0.95', '0.99'] as const;

/**
 * Recorded series names, `level:metric:operations` (Prometheus naming practice). Every output keeps `job` (one per
 * worker component) and `device`.
 */
export const RECORDED = {
  /** succeeded / (succeeded + failed) over 15m; requeued jobs are not finished. Labels: job, device. */
  jobSuccessRatio: 'job_device:transcode_jobs_success:ratio_rate15m',
  /** Job duration quantiles over 15m; labels: job, device, resolution, quantile. */
  jobDurationQuantile: 'job_device_resolution:transcode_job_duration_seconds:quantile_rate15m',
  /** Queue-time quantiles over 15m; labels: job, device, quantile. */
  queueTimeQuantile: 'job_device:transcode_job_queue_seconds:quantile_rate15m',
  /** Mean encoding speed (x real time) of the jobs in progress; labels: job, device, resolution. */
  speed: 'job_device_resolution:transcode_speed_ratio:avg',
} as const;

/** Rule group name of a component's recording rules. */
export const recordingGroupName = (component: string): string => `${component}.recording`;

const q = (s: string): string => JSON.stringify(s);

const quantiles = (record: string, by: string, histogram: string, sel: string): RecordingRule[] =>
  RECORDED_QUANTILES.map((quantile) => ({
    record,
    expr: `histogram_quantile(${quantile}, sum by (${by}, le) (rate(${histogram}_bucket{${sel}}[15m])))`,
    labels: { quantile },
  }));

const INPUTS = [T.jobs, T.jobDuration, T.queueTime, T.speed] as const;
const recordsInputs = (metrics: readonly string[]): boolean => INPUTS.every((m) => metrics.includes(m));

/** The recording rules of one component: only for components that are scraped and declare the whole contract. */
export const recordingRulesFor = (c: MonitoredComponent): RecordingRule[] => {
  if (c.job === undefined || !recordsInputs(c.metrics)) return [];
  const sel = `job=${q(c.job)}`;
  return [
    {
      record: RECORDED.jobSuccessRatio,
      expr: `sum by (job, device) (rate(${T.jobs}{${sel}, status="succeeded"}[15m])) / sum by (job, device) (rate(${T.jobs}{${sel}, status=~"succeeded|failed"}[15m]))`,
    },
    ...quantiles(RECORDED.jobDurationQuantile, 'job, device, resolution', T.jobDuration, sel),
    ...quantiles(RECORDED.queueTimeQuantile, 'job, device', T.queueTime, sel),
    { record: RECORDED.speed, expr: `avg by (job, device, resolution) (${T.speed}{${sel}})` },
  ];
};

/**
 * Series names recorded for components declaring these metrics (what dashboards may read besides raw metrics), given
 * the component is scraped (monitor-check.ts makes every metrics port scraped).
 */
export const recordedMetrics = (declared: ReadonlyArray<readonly string[]>): Set<string> =>
  new Set(declared.some(recordsInputs) ? Object.values(RECORDED) : []);
