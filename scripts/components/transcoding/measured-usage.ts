// Peak memory the transcoding seed measured on real jobs. Memory limits must stay above these with headroom, or real
// jobs are OOM-killed (the limits once sat below them: API 512 Mi, CPU worker 4 Gi, GPU worker 8 Gi). Tests hold every
// environment's limits to it, so an inventory override cannot reintroduce the defect unnoticed.
export const MEASURED_PEAK_MEMORY: Readonly<Record<string, string>> = {
  'transcode-api': '800Mi',
  'transcode-worker-cpu': '5Gi',
  'transcode-worker-gpu': '10Gi',
};

/** Limit ÷ measured peak the sizing keeps at least (a 4K job's peak is not the seed's average one). */
export const MEMORY_HEADROOM = 1.25;
