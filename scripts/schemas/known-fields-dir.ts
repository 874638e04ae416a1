// Where the generated strict field tables live (committed; regenerate with build-known-fields.ts).
import { join } from 'node:path';

export const KNOWN_FIELDS_DIR = join(import.meta.dirname, 'known-fields');
