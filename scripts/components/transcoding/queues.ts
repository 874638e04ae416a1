// Queue names shared by the API (producer), the workers (consumers) and their autoscalers: one definition
// so a rename cannot leave a worker listening on a queue nobody fills.
export const TRANSCODE_QUEUES = {
  cpu: 'transcode.jobs',
  gpu: 'transcode.jobs.gpu',
} as const;

export const RABBITMQ_HOST = 'rabbitmq.transcoding.svc.cluster.local';
export const RABBITMQ_PORT = 5672;
export const METRICS_PORT = 9090;
