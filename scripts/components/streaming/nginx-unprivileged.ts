// What every nginx of the stack shares: the nginx-unprivileged image under a read-only root filesystem, so the pid
// file and every temp path live in /tmp (an emptyDir); see docs/images.md for the image's user and paths.

/** The main context: worker count, pid file, connections per worker. */
export const nginxMainContext = (workers: number | 'auto', connections: number): string[] => [
  `worker_processes ${workers};`,
  'pid /tmp/nginx.pid;',
  `events { worker_connections ${connections}; }`,
];

/** Inside `http {`: the temp paths nginx would otherwise create under its read-only prefix. */
export const NGINX_TEMP_PATHS: readonly string[] = [
  '  client_body_temp_path /tmp/client_temp;',
  '  proxy_temp_path /tmp/proxy_temp;',
  '  fastcgi_temp_path /tmp/fastcgi_temp;',
  '  uwsgi_temp_path /tmp/uwsgi_temp;',
  '  scgi_temp_path /tmp/scgi_temp;',
];
