// The shell scripts of the backup, verify and restore jobs (POSIX sh; tests/backups runs them, taken out of the
// rendered CronJobs, against real PostgreSQL and Redis servers and the real AWS CLI). Every parameter comes from
// the environment (the job's ConfigMap and Secret), so the scripts are the same on every cluster.
//
// Files a backup leaves in the bucket, under `<BACKUP_PREFIX>/`: `<name>-<UTC yyyymmddThhmmssZ>.<DUMP_SUFFIX>` (the
// dump) and, next to it, `<same stem>.counts` (what the dump holds, recorded at dump time). Names sort by age, and
// the timestamp in the name (not the store's LastModified) is what retention and the freshness check read, so a
// copy or a re-upload does not make an old dump look new.
//
// Tools: postgres 17 and redis 7.4 images (pg_dump, psql, pg_restore, initdb, postgres, pg_isready, createdb;
// redis-cli, redis-server, redis-check-rdb, gzip), the aws-cli image (aws, coreutils date/sort/tr, awk, grep, sed).
// See scripts/images/catalog-data.ts for what was read upstream and what is a gap.
import type { BackedUpDatabase } from './backups.ts';

/**
 * One line per table (`<schema>.<table> <rows>`, identifiers quoted as format('%I') quotes them) of every ordinary
 * and partitioned table outside the system schemas. Run in the dump's snapshot at dump time and in the scratch
 * server after the restore: the two outputs, sorted, must be identical. query_to_xml runs the count inside the
 * calling transaction, so it sees that transaction's snapshot.
 * Not read upstream: the postgres/postgres repository is too large to fetch here. query_to_xml, xpath and the
 * relkind values are exercised by tests/backups against Debian's PostgreSQL 15 only; re-check against REL_17_2 docs.
 */
export const PG_COUNT_SQL = [
  "SELECT format('%I.%I %s', n.nspname, c.relname,",
  "  (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text)",
  'FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace',
  "WHERE c.relkind IN ('r', 'p') AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'",
  'ORDER BY 1',
].join('\n');

/** Suffix of the dump object per database. */
export const DUMP_SUFFIX: Record<BackedUpDatabase, string> = { postgres: 'dump', redis: 'rdb.gz' };

// --- store steps (aws-cli image) -----------------------------------------------------------------------------

/**
 * The AWS CLI against the backup store (`store`) and, where configured, the copy store (`copy`). Each has its own
 * config file (the addressing style differs between in-cluster MinIO, path-style, and S3) and its own keys; the
 * files live in /tmp because the root filesystem is read-only. AWS_PAGER="" keeps the CLI from paging output.
 * Checked: aws/aws-cli @ 2.22.35 : awscli/topics/s3-config.rst (`s3 =` / `addressing_style = path|virtual|auto`
 * under a profile), awscli/topics/config-vars.rst (AWS_CONFIG_FILE, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_PAGER="" disables the pager; --endpoint-url, --region are global options).
 */
const CLIENTS = [
  'export AWS_PAGER=""',
  'mkdir -p /tmp/aws',
  'printf \'[default]\\ns3 =\\n  addressing_style = %s\\n\' "$S3_ADDRESSING_STYLE" > /tmp/aws/store.config',
  'store() { AWS_CONFIG_FILE=/tmp/aws/store.config AWS_ACCESS_KEY_ID="$S3_ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$S3_SECRET_KEY" aws --endpoint-url "$S3_ENDPOINT" --region "$S3_REGION" "$@"; }',
  'copy() { AWS_CONFIG_FILE=/tmp/aws/copy.config AWS_ACCESS_KEY_ID="$COPY_ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$COPY_SECRET_KEY" aws --endpoint-url "$COPY_ENDPOINT" --region "$COPY_REGION" "$@"; }',
  // Keys under the prefix, one a line. The CLI follows ListObjectsV2 continuation tokens itself; an empty listing
  // prints `None` for the query, which matches no dump name below.
  'keys() { "$1" s3api list-objects-v2 --bucket "$2" --prefix "$BACKUP_PREFIX/" --query \'Contents[].Key\' --output text | tr \'\\t\' \'\\n\'; }',
  // `<ts> <key>` for every key named `...-<yyyymmddThhmmssZ>.<suffix>`; [0-9] spelled out rather than relying on
  // regex interval support in every awk.
  'stamped() { awk \'match($0, /-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z\\./) { print substr($0, RSTART + 1, 16), $0 }\'; }',
].join('\n');

/**
 * Bucket lifecycle: current dumps expire after the retention; a dump that was deleted or overwritten survives as a
 * noncurrent version for NONCURRENT_DAYS, then goes too (versioning must not keep deleted dumps forever); failed
 * multipart uploads are cleaned after a day. One rule for the whole bucket: it holds only backups, and both jobs
 * write the same document.
 * Checked: aws/aws-cli @ 2.22.35 : awscli/botocore/data/s3/2006-03-01/service-2.json (BucketLifecycleConfiguration
 * Rules; LifecycleRule ID, Status Enabled|Disabled, Filter.Prefix, Expiration.Days, NoncurrentVersionExpiration
 * .NoncurrentDays, AbortIncompleteMultipartUpload.DaysAfterInitiation; VersioningConfiguration.Status
 * Enabled|Suspended; CreateBucketConfiguration.LocationConstraint).
 */
const LIFECYCLE =
  'printf \'{"Rules":[{"ID":"expire-backups","Status":"Enabled","Filter":{"Prefix":""},"Expiration":{"Days":%s},"NoncurrentVersionExpiration":{"NoncurrentDays":%s},"AbortIncompleteMultipartUpload":{"DaysAfterInitiation":1}}]}\' "$RETENTION_DAYS" "$NONCURRENT_DAYS" > /tmp/aws/lifecycle.json\nlifecycle=/tmp/aws/lifecycle.json';

/**
 * Upload: the bucket (created if missing), versioning and the lifecycle rule, the dump and its counts, the copy to
 * the second bucket where configured, then the explicit delete of dumps older than the retention (the fallback for
 * stores without lifecycle support). A store that refuses versioning or the lifecycle rule does not stop the
 * upload, but fails the job at the end so the backup alert fires.
 */
export const UPLOAD_SCRIPT = [
  'set -eu',
  CLIENTS,
  LIFECYCLE,
  'problems=""',
  'prepare() {',
  '  if ! "$1" s3api head-bucket --bucket "$2" >/dev/null 2>&1; then',
  // us-east-1 is the one region CreateBucket refuses a LocationConstraint for.
  '    if [ "$3" = us-east-1 ]; then "$1" s3api create-bucket --bucket "$2" >/dev/null',
  '    else "$1" s3api create-bucket --bucket "$2" --create-bucket-configuration "{\\"LocationConstraint\\":\\"$3\\"}" >/dev/null; fi',
  '  fi',
  '  "$1" s3api put-bucket-versioning --bucket "$2" --versioning-configuration \'{"Status":"Enabled"}\' || problems="$problems versioning:$2"',
  '  "$1" s3api put-bucket-lifecycle-configuration --bucket "$2" --lifecycle-configuration "file://$lifecycle" || problems="$problems lifecycle:$2"',
  '}',
  'cutoff="$(date -u -d "@$(( $(date -u +%s) - RETENTION_DAYS * 86400 ))" +%Y%m%dT%H%M%SZ)"',
  'prune() {',
  '  keys "$1" "$2" | stamped | awk -v cutoff="$cutoff" \'$1 < cutoff { print $2 }\' | while read -r key; do',
  '    "$1" s3api delete-object --bucket "$2" --key "$key" >/dev/null',
  '    echo "deleted $2/$key (older than $RETENTION_DAYS days)"',
  '  done',
  '}',
  'dump="$(ls -1 /backup/*."$DUMP_SUFFIX")"',
  'counts="${dump%."$DUMP_SUFFIX"}.counts"',
  'test -s "$counts" || { echo "no counts file next to $dump" >&2; exit 1; }',
  'prepare store "$BACKUP_BUCKET" "$S3_REGION"',
  // The counts go last: a dump whose counts are missing is one the verify job reports as incomplete.
  'for f in "$dump" "$counts"; do store s3 cp --only-show-errors "$f" "s3://$BACKUP_BUCKET/$BACKUP_PREFIX/${f##*/}"; done',
  'echo "uploaded ${dump##*/} to $BACKUP_BUCKET/$BACKUP_PREFIX"',
  'if [ -n "$COPY_BUCKET" ]; then',
  '  test -n "${COPY_ACCESS_KEY:-}" && test -n "${COPY_SECRET_KEY:-}" || { echo "COPY_BUCKET is set but the copy credentials (transcoding/backup-copy) are missing" >&2; exit 1; }',
  '  printf \'[default]\\ns3 =\\n  addressing_style = %s\\n\' "$COPY_ADDRESSING_STYLE" > /tmp/aws/copy.config',
  // From the local file, not a server-side copy: the second bucket is another store with other credentials.
  '  prepare copy "$COPY_BUCKET" "$COPY_REGION"',
  '  for f in "$dump" "$counts"; do copy s3 cp --only-show-errors "$f" "s3://$COPY_BUCKET/$BACKUP_PREFIX/${f##*/}"; done',
  '  echo "copied ${dump##*/} to $COPY_BUCKET ($COPY_REGION)"',
  '  prune copy "$COPY_BUCKET"',
  'fi',
  'prune store "$BACKUP_BUCKET"',
  'if [ -n "$problems" ]; then echo "the backup is stored, but the store refused:$problems" >&2; exit 1; fi',
].join('\n');

/**
 * Fetch the dump to restore or verify into /backup/latest.<suffix> (and its counts into /backup/latest.counts).
 * verify: the newest dump, which must have its counts and be at most MAX_AGE_HOURS old. restore: RESTORE_OBJECT
 * (a key under the bucket) or the newest dump.
 */
export const fetchScript = (mode: 'verify' | 'restore'): string =>
  [
    'set -eu',
    CLIENTS,
    'all="$(keys store "$BACKUP_BUCKET")"',
    'newest="$(printf \'%s\\n\' "$all" | grep -F ".$DUMP_SUFFIX" | stamped | sort | tail -n 1)"',
    mode === 'restore' ? 'obj="${RESTORE_OBJECT:-${newest#* }}"' : 'obj="${newest#* }"',
    'test -n "$obj" || { echo "no backup found under $BACKUP_BUCKET/$BACKUP_PREFIX/ (no *.$DUMP_SUFFIX object)" >&2; exit 1; }',
    ...(mode === 'verify'
      ? [
          'ts="${newest%% *}"',
          // yyyymmddThhmmssZ -> yyyy-mm-dd hh:mm:ss UTC, which GNU date reads.
          'made="$(date -u -d "$(printf \'%s\\n\' "$ts" | sed \'s/^\\(....\\)\\(..\\)\\(..\\)T\\(..\\)\\(..\\)\\(..\\)Z$/\\1-\\2-\\3 \\4:\\5:\\6 UTC/\')" +%s)"',
          'age=$(( $(date -u +%s) - made ))',
          'if [ "$age" -gt $(( MAX_AGE_HOURS * 3600 )) ]; then echo "the newest backup $obj is $(( age / 3600 )) hours old (more than $MAX_AGE_HOURS): the backup job has not succeeded since" >&2; exit 1; fi',
          'counts="${obj%."$DUMP_SUFFIX"}.counts"',
          'printf \'%s\\n\' "$all" | grep -qxF "$counts" || { echo "$obj has no counts file ($counts): the backup job did not finish its upload" >&2; exit 1; }',
          'store s3 cp --only-show-errors "s3://$BACKUP_BUCKET/$counts" /backup/latest.counts',
        ]
      : []),
    'echo "fetching $obj"',
    'store s3 cp --only-show-errors "s3://$BACKUP_BUCKET/$obj" "/backup/latest.$DUMP_SUFFIX"',
  ].join('\n');

// --- database steps (postgres / redis images) ------------------------------------------------------------------

/**
 * Postgres dump whose counts are exactly the dump's: one psql session opens a REPEATABLE READ transaction, exports
 * its snapshot and counts every table in it; pg_dump then dumps that same snapshot (`--snapshot`), while the
 * session keeps the transaction (and so the snapshot) open until pg_dump is done.
 * Not read upstream (postgres/postgres too large to fetch here): pg_dump --snapshot and pg_export_snapshot are
 * exercised by tests/backups against Debian's PostgreSQL 15 only; re-check against REL_17_2 before relying on 17.
 */
const PG_DUMP = [
  'set -eu',
  'base="/backup/$POSTGRES_DB-$(date -u +%Y%m%dT%H%M%SZ)"',
  'rm -f /tmp/session.sql /tmp/session.out && mkfifo /tmp/session.sql',
  'psql --host="$POSTGRES_HOST" --port="$POSTGRES_PORT" --username="$POSTGRES_USER" --dbname="$POSTGRES_DB" \\',
  '  --no-psqlrc --quiet --tuples-only --no-align --set=ON_ERROR_STOP=1 < /tmp/session.sql > /tmp/session.out &',
  'session=$!',
  'exec 3> /tmp/session.sql',
  'printf \'%s\\n\' "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;" "SELECT pg_export_snapshot();" "$COUNT_SQL;" "SELECT \'-- counted\';" >&3',
  'i=0',
  'until grep -qx -- "-- counted" /tmp/session.out; do',
  '  kill -0 "$session" 2>/dev/null || { echo "the counting session ended early" >&2; exit 1; }',
  '  i=$((i + 1)); [ "$i" -le 3600 ] || { echo "counting took more than an hour" >&2; exit 1; }',
  '  sleep 1',
  'done',
  'snapshot="$(head -n 1 /tmp/session.out)"',
  'sed \'1d;$d\' /tmp/session.out | sort > "$base.counts"',
  // Custom format is compressed and lets pg_restore pick objects.
  'pg_dump --host="$POSTGRES_HOST" --port="$POSTGRES_PORT" --username="$POSTGRES_USER" --dbname="$POSTGRES_DB" \\',
  '  --snapshot="$snapshot" --format=custom --compress=9 --file="$base.dump"',
  'printf \'%s\\n\' "COMMIT;" >&3',
  'exec 3>&-',
  'wait "$session"',
  'echo "dumped $(wc -l < "$base.counts") tables of $POSTGRES_DB (snapshot $snapshot)"',
].join('\n');

/**
 * Redis dump: `--rdb` has the server write a fresh snapshot and streams it (no access to its volume needed). The
 * counts are read from that file by redis-check-rdb (which also validates it): keys in the snapshot, and how many of
 * them carry a TTL (those may have expired by the time the dump is verified or restored).
 * Checked: redis/redis @ 7.0.15 and 7.4.1 : src/redis-cli.c (--rdb <filename>), src/redis-check-rdb.c
 * (rdbShowGenericInfo: "[info] %lu keys read", "[info] %lu expires"; every key of every database counts).
 */
const REDIS_DUMP = [
  'set -eu',
  'base="/backup/redis-$(date -u +%Y%m%dT%H%M%SZ)"',
  'redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" --rdb "$base.rdb"',
  'redis-check-rdb "$base.rdb" > /tmp/check.out 2>&1 || { cat /tmp/check.out >&2; exit 1; }',
  'keys="$(sed -n \'s/^\\[info\\] \\([0-9]*\\) keys read$/\\1/p\' /tmp/check.out)"',
  'expires="$(sed -n \'s/^\\[info\\] \\([0-9]*\\) expires$/\\1/p\' /tmp/check.out)"',
  'test -n "$keys" && test -n "$expires" || { echo "redis-check-rdb printed no key count:" >&2; cat /tmp/check.out >&2; exit 1; }',
  'printf \'keys %s\\nexpires %s\\n\' "$keys" "$expires" > "$base.counts"',
  'gzip -9 "$base.rdb"',
  'echo "dumped $keys keys ($expires with a TTL)"',
].join('\n');

export const DUMP_SCRIPT: Record<BackedUpDatabase, string> = { postgres: PG_DUMP, redis: REDIS_DUMP };

/**
 * Verify in a scratch Postgres started in the pod (never the production server: the verify pod has neither its
 * address nor its credentials): initdb on the scratch volume, a server listening only on a Unix socket, restore,
 * count, compare.
 * Not read upstream (postgres/postgres too large to fetch here): the initdb, postgres, pg_restore and pg_isready
 * options are exercised by tests/backups against Debian's PostgreSQL 15 only; re-check against REL_17_2.
 */
const PG_VERIFY = [
  'set -eu',
  'test -s /backup/latest.dump || { echo "no dump fetched" >&2; exit 1; }',
  'rm -rf /scratch/pgdata',
  'initdb --pgdata=/scratch/pgdata --username=verify --auth=trust --no-sync > /tmp/initdb.log 2>&1 || { cat /tmp/initdb.log >&2; exit 1; }',
  'postgres -D /scratch/pgdata -c listen_addresses= -c unix_socket_directories=/tmp -c fsync=off > /tmp/postgres.log 2>&1 &',
  'server=$!',
  'trap \'kill "$server" 2>/dev/null || true\' EXIT',
  'i=0',
  'until pg_isready --host=/tmp --quiet; do',
  '  kill -0 "$server" 2>/dev/null || { echo "the scratch server did not start:" >&2; cat /tmp/postgres.log >&2; exit 1; }',
  '  i=$((i + 1)); [ "$i" -le 120 ] || { echo "the scratch server is not ready after 2 minutes" >&2; exit 1; }',
  '  sleep 1',
  'done',
  'createdb --host=/tmp --username=verify verify',
  'pg_restore --host=/tmp --username=verify --dbname=verify --no-owner --no-privileges --exit-on-error /backup/latest.dump || { echo "verify FAILED: the dump does not restore" >&2; exit 1; }',
  'psql --host=/tmp --username=verify --dbname=verify --no-psqlrc --quiet --tuples-only --no-align --set=ON_ERROR_STOP=1 --command="$COUNT_SQL" | sort > /tmp/restored.counts',
  'if ! diff -u /backup/latest.counts /tmp/restored.counts >&2; then echo "verify FAILED: row counts of the restored dump differ from those recorded at dump time (- recorded, + restored)" >&2; exit 1; fi',
  'echo "verified: $(wc -l < /tmp/restored.counts) tables, row counts as recorded"',
].join('\n');

/**
 * Verify in a scratch redis-server (Unix socket only, no persistence) loading the RDB. The keys it holds must be
 * between the recorded count minus the keys with a TTL (those may have expired since: a master drops expired keys
 * while loading) and the recorded count.
 * Not read upstream: the redis-server options, the dropping of expired keys on load and the INFO keyspace format are
 * exercised by tests/backups against Debian's Redis 7.0 only (redis/redis @ 7.0.15 / 7.4.1 was read for
 * redis-check-rdb.c and redis-cli.c, not for these).
 */
const REDIS_VERIFY = [
  'set -eu',
  'test -s /backup/latest.rdb.gz || { echo "no dump fetched" >&2; exit 1; }',
  'recorded="$(sed -n \'s/^keys \\([0-9][0-9]*\\)$/\\1/p\' /backup/latest.counts)"',
  'expires="$(sed -n \'s/^expires \\([0-9][0-9]*\\)$/\\1/p\' /backup/latest.counts)"',
  'test -n "$recorded" && test -n "$expires" || { echo "verify FAILED: the counts file has no keys/expires lines" >&2; exit 1; }',
  'rm -rf /scratch/redis && mkdir -p /scratch/redis',
  'gunzip -c /backup/latest.rdb.gz > /scratch/redis/dump.rdb || { echo "verify FAILED: the dump does not decompress" >&2; exit 1; }',
  'redis-server --port 0 --unixsocket /tmp/verify-redis.sock --dir /scratch/redis --dbfilename dump.rdb --appendonly no --save "" > /tmp/redis.log 2>&1 &',
  'server=$!',
  'trap \'kill "$server" 2>/dev/null || true\' EXIT',
  'i=0',
  'until [ "$(redis-cli -s /tmp/verify-redis.sock ping 2>/dev/null)" = PONG ]; do',
  '  kill -0 "$server" 2>/dev/null || { echo "verify FAILED: the scratch server did not load the dump:" >&2; cat /tmp/redis.log >&2; exit 1; }',
  '  i=$((i + 1)); [ "$i" -le 600 ] || { echo "the scratch server is not ready after 10 minutes" >&2; exit 1; }',
  '  sleep 1',
  'done',
  'loaded="$(redis-cli -s /tmp/verify-redis.sock info keyspace | awk -F \'[:=,]\' \'/^db[0-9]+:/ { n += $3 } END { print n + 0 }\')"',
  'if [ "$loaded" -gt "$recorded" ] || [ "$loaded" -lt $(( recorded - expires )) ]; then',
  '  echo "verify FAILED: the restored dump holds $loaded keys; recorded at dump time: $recorded ($expires with a TTL)" >&2; exit 1',
  'fi',
  'echo "verified: $loaded keys (recorded $recorded, $expires with a TTL)"',
].join('\n');

export const VERIFY_SCRIPT: Record<BackedUpDatabase, string> = { postgres: PG_VERIFY, redis: REDIS_VERIFY };

/** Restore over the live database (a human runs it: the restore CronJob is suspended). */
export const PG_RESTORE_SCRIPT = [
  'set -eu',
  'pg_restore --host="$POSTGRES_HOST" --port="$POSTGRES_PORT" --username="$POSTGRES_USER" --dbname="$POSTGRES_DB" \\',
  '  --clean --if-exists --no-owner --single-transaction --exit-on-error /backup/latest.dump',
  'echo "restored into $POSTGRES_DB"',
].join('\n');
