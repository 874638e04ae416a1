// Where the generated strict field tables live (committed; regenerate with build-known-fields.ts).
import { toolPath } from '../lib/tool-root.ts';

export const KNOWN_FIELDS_DIR = toolPath('scripts', 'schemas', 'known-fields');
