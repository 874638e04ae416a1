// Content hashing for the ledger. Hashes are over raw bytes, so a hand edit that introduces
// invalid UTF-8 or CRLF line endings is still detected as a change.
import { createHash } from 'node:crypto';

/** Lower-case hex sha256 of a string (encoded as UTF-8) or of raw bytes. */
export const sha256Hex = (data: string | Uint8Array): string =>
  createHash('sha256').update(data).digest('hex');
