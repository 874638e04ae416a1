// What the generated origin relies on in xiu, read in xiu's source and Dockerfile at each supported tag. The origin's
// container command, its TOML config, the origin-http sidecar (which reads xiu's HLS files and HTTP API) and the drain
// hook are all built from these facts, and tests/components/streaming/xiu-contract.test.ts checks the generated
// config against them. A version that is not listed here cannot be pinned (the inventory loader says so), so a
// bump makes someone read the new tag first.
//
// Checked: https://github.com/harlanc/xiu @ v0.13.0 :
//   docker/Dockerfile                        `FROM ubuntu:latest`, `COPY --chmod=755 xiu /app/`; no ENTRYPOINT, no CMD
//   .github/workflows/release.yml            `podman manifest push xiu docker.io/harlancn/xiu:<tag without v>`
//   application/xiu/src/main.rs              `-c/--config <path>`; exits only on SIGINT (`signal::ctrl_c()`)
//   application/xiu/src/config/mod.rs        Config / RtmpConfig / HlsConfig / ... (serde; unknown keys ignored)
//   application/xiu/src/service.rs           every listener binds 0.0.0.0; httpapi port defaults to 8000
//   application/xiu/src/api.rs               GET /api/query_whole_streams
//   library/streamhub/src/lib.rs             api_statistic: `data` is `{}` without streams, else a list of streams
//   library/streamhub/src/statistics/mod.rs  StatisticsStream.publisher.{id, identifier.rtmp.{app_name,stream_name}}
//   library/streamhub/src/utils.rs           Uuid: 10 digits of unix seconds + random digits (new per publish)
//   protocol/hls/src/remuxer.rs              FlvDataReceiver::new(.., 5, ..): segments cut at >= 5 s, on a keyframe
//   protocol/hls/src/flv2hls.rs              M3u8::new(duration, 6, ..): the live playlist lists 6 segments
//   protocol/hls/src/ts.rs                   segment files `./<app>/<stream>/<n>.ts`, n restarting at 0 every publish
//   protocol/hls/src/m3u8.rs                 playlist `./<app>/<stream>/<stream>.m3u8`, removed on unpublish
//   protocol/httpflv/src/server.rs           `/<app>/<stream>.flv` answers 200 before it knows whether the stream exists
// Not supported: v0.12.4 has no /api/query_whole_streams (its API is /get_stream_status) and no push_password.

/** One TOML key xiu deserialises: its TOML type and whether serde requires it (a missing required key panics). */
export interface XiuKey {
  readonly type: 'boolean' | 'integer' | 'string';
  readonly required: boolean;
}

/** A table of xiu's config: its keys, nested tables, and whether the table itself must be present. */
export interface XiuTable {
  readonly required: boolean;
  readonly keys: Readonly<Record<string, XiuKey>>;
  readonly tables?: Readonly<Record<string, XiuTable>>;
  /** Allowed values of string keys that are enums in xiu. */
  readonly enums?: Readonly<Record<string, readonly string[]>>;
}

export interface XiuContract {
  readonly version: string;
  /** The binary in the image; the image sets no ENTRYPOINT or CMD, so the container must name it. */
  readonly binary: string;
  readonly configFlag: string;
  /** Top-level tables of config.toml (serde ignores unknown keys, so a misspelt key would silently do nothing). */
  readonly config: Readonly<Record<string, XiuTable>>;
  /** HLS segments are cut on the first keyframe at or after this many seconds; not configurable. */
  readonly hlsSegmentSeconds: number;
  /** Segments the live playlist lists. */
  readonly hlsPlaylistSegments: number;
  /** The HTTP API path listing every published stream with its publisher's per-publish id. */
  readonly streamsApiPath: string;
  readonly defaultApiPort: number;
  /** xiu installs no SIGTERM handler: SIGTERM ends it at once, so draining must happen before (preStop). */
  readonly gracefulSignal: 'SIGINT';
}

const req = (type: XiuKey['type']): XiuKey => ({ type, required: true });
const opt = (type: XiuKey['type']): XiuKey => ({ type, required: false });
const authTable: XiuTable = {
  required: false,
  // `algorithm` has no serde default (config/mod.rs), so it is required even though xiu has a Default for it.
  keys: { pull_enabled: req('boolean'), push_enabled: opt('boolean'), algorithm: req('string') },
  enums: { algorithm: ['simple', 'md5'] },
};

export const XIU_CONTRACTS: Readonly<Record<string, XiuContract>> = {
  '0.13.0': {
    version: '0.13.0',
    binary: '/app/xiu',
    configFlag: '-c',
    config: {
      rtmp: {
        required: false,
        keys: { enabled: req('boolean'), port: req('integer'), gop_num: opt('integer') },
        tables: {
          auth: authTable,
          pull: { required: false, keys: { enabled: req('boolean'), address: req('string'), port: req('integer') } },
        },
      },
      httpflv: { required: false, keys: { enabled: req('boolean'), port: req('integer') }, tables: { auth: authTable } },
      hls: { required: false, keys: { enabled: req('boolean'), port: req('integer'), need_record: req('boolean') }, tables: { auth: authTable } },
      httpapi: { required: false, keys: { port: req('integer') } },
      // Not an Option in Config: without it, `toml::from_str(..).unwrap()` panics and xiu never starts.
      authsecret: { required: true, keys: { key: req('string'), password: req('string'), push_password: opt('string') } },
      log: { required: false, keys: { level: req('string') }, enums: { level: ['trace', 'debug', 'info', 'warn', 'error'] } },
    },
    hlsSegmentSeconds: 5,
    hlsPlaylistSegments: 6,
    streamsApiPath: '/api/query_whole_streams',
    defaultApiPort: 8000,
    gracefulSignal: 'SIGINT',
  },
};

export const SUPPORTED_XIU_VERSIONS: readonly string[] = Object.keys(XIU_CONTRACTS).sort();

/**
 * The contract the generated config is written against. Every supported version agrees on what the generator uses
 * (a test checks it), so the base can be environment-independent; the newest one is returned.
 */
export const xiuContract = (): XiuContract => XIU_CONTRACTS[SUPPORTED_XIU_VERSIONS[SUPPORTED_XIU_VERSIONS.length - 1]!]!;
