// Viewer traffic as the CDN edge's access-log exporter labels it. Every viewer request (cdn., hls. and flv. hosts)
// passes the edge on every cluster, mesh or not, and the edge's exporter runs wherever the streaming stack does, so
// viewer alerts and panels read these series instead of ingress-nginx or Istio metrics, which exist only on some
// clusters. The exporter has no path label of its own (only `method` and `status`), so the edge's exporter config
// derives a bounded `kind` label from the request line; this module is the one definition of it, for the
// exporter config (edge-cache.ts) and the rules/panels that select on it.
//
// Checked: martin-helmich/prometheus-nginxlog-exporter @ v1.11.0 :
// - pkg/config/struct_relabel.go + README.adoc "Dynamic re-labeling": YAML keys `target_label`, `from`, `split`,
//   `matches` (`regexp`, `replacement`);
// - pkg/relabeling/mapping.go: `split: 2` takes the 2nd space-separated field of `$request` (the path); the first
//   matching regexp wins and its `replacement` replaces the match (ReplaceAllString), so each regexp matches the whole
//   path; no match leaves an empty value;
// - pkg/metrics/collection_init.go: relabelings without `only_counter` label every metric, histograms included.
// Checked: harlanc/xiu @ v0.12.4 : protocol/httpflv/src/server.rs: HTTP-FLV is served at `/<app>/<stream>.flv`.

/** Label the edge exporter sets from the request path. */
export const EDGE_KIND_LABEL = 'kind';

export type EdgeRequestKind = 'playlist' | 'segment' | 'flv' | 'other';

/**
 * Path → kind, in the order the exporter tries them (first match wins). Query strings are allowed after the path.
 * By extension only, looser than the edge's nginx locations (edgeNginxConfig): a path the edge refuses is still
 * classified, and fMP4/audio segments count as segments should the origin ever cut them.
 */
export const EDGE_REQUEST_KINDS: ReadonlyArray<{ readonly kind: EdgeRequestKind; readonly regexp: string }> = [
  { kind: 'playlist', regexp: '^[^?]*\\.m3u8(\\?.*)?$' },
  { kind: 'segment', regexp: '^[^?]*\\.(ts|m4s|mp4|aac)(\\?.*)?$' },
  { kind: 'flv', regexp: '^[^?]*\\.flv(\\?.*)?$' },
  // Anything else (404s of unknown paths, malformed request lines) stays countable instead of unlabelled.
  { kind: 'other', regexp: '^.*$' },
];

/**
 * HLS kinds: requests whose response time is a latency and that the edge caches. An HTTP-FLV response lasts as long
 * as the viewer watches (its `$request_time` is the viewing duration) and passes the edge uncached, so FLV is left
 * out of latency and cache-hit queries; it still counts for the 5xx ratio.
 */
export const HLS_KINDS: readonly EdgeRequestKind[] = ['playlist', 'segment'];

/** Label matcher selecting HLS requests (see HLS_KINDS). */
export const hlsKindMatcher = (): string => `${EDGE_KIND_LABEL}=~"${HLS_KINDS.join('|')}"`;

/**
 * The exporter's `relabel_configs` entry for `kind`, as YAML lines under `indent` (the list's item indent), for
 * edgeExporterConfig(). Regexps go in single quotes: YAML keeps their backslashes as they are.
 */
export const edgeKindRelabelYaml = (indent: string): string[] => [
  `${indent}- target_label: ${EDGE_KIND_LABEL}`,
  `${indent}  from: request`,
  `${indent}  split: 2`,
  `${indent}  matches:`,
  ...EDGE_REQUEST_KINDS.flatMap((k) => [`${indent}    - regexp: '${k.regexp}'`, `${indent}      replacement: ${k.kind}`]),
];

/**
 * `$upstream_cache_status` values (the exporter's `cache_status` label) of responses the edge served from its cache:
 * a fresh HIT, a STALE copy (origin erroring, `proxy_cache_use_stale`), an entry being refreshed in the background
 * (UPDATING) or one the origin confirmed unchanged (REVALIDATED). MISS, EXPIRED and BYPASS went to the origin; `-`
 * (no cache involved, e.g. HTTP-FLV or a refused path) is neither.
 * Checked: nginx/nginx @ release-1.27.3 : src/http/ngx_http_file_cache.c (`ngx_http_cache_status[]`: MISS, BYPASS,
 * EXPIRED, STALE, UPDATING, REVALIDATED, HIT) and src/http/ngx_http_cache.h (NGX_HTTP_CACHE_* codes indexing it).
 */
export const SERVED_FROM_CACHE = ['HIT', 'STALE', 'UPDATING', 'REVALIDATED'] as const;

/** Label matcher selecting responses served from the edge cache (see SERVED_FROM_CACHE). */
export const servedFromCacheMatcher = (): string => `cache_status=~"${SERVED_FROM_CACHE.join('|')}"`;
