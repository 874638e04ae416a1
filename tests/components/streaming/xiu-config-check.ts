// Checks a parsed xiu config.toml against an XiuContract the way xiu's serde would read it, plus what serde lets
// through silently: every required table and key present with its TOML type, enum values allowed, and no key or
// table the contract does not know (serde ignores unknown keys, so one would be a setting that does nothing).
import { parse, type TomlTable, type TomlValue } from 'smol-toml';

import type { XiuContract, XiuKey, XiuTable } from '../../../scripts/components/streaming/xiu-contract.ts';

/** Parse as TOML with integers as bigint, so `port = 8080.0` (a float, which serde rejects for usize) is told apart. */
export const parseXiuToml = (text: string): TomlTable => parse(text, { integersAsBigInt: true });

const isTable = (v: TomlValue): v is TomlTable => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

const tomlTypeOf = (v: TomlValue): string => {
  if (typeof v === 'bigint') return 'integer';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'boolean' || typeof v === 'string') return typeof v;
  if (Array.isArray(v)) return 'array';
  return isTable(v) ? 'table' : 'datetime';
};

const sameType = (want: XiuKey['type'], v: TomlValue): boolean => tomlTypeOf(v) === want;

function checkTable(path: string, table: TomlTable, shape: XiuTable, out: string[]): void {
  for (const [key, value] of Object.entries(table)) {
    const at = `${path}.${key}`;
    const sub = shape.tables?.[key];
    const spec = shape.keys[key];
    if (sub !== undefined) {
      if (isTable(value)) checkTable(at, value, sub, out);
      else out.push(`${at}: expected a table, found ${tomlTypeOf(value)}`);
    } else if (spec !== undefined) {
      if (!sameType(spec.type, value)) out.push(`${at}: expected ${spec.type}, found ${tomlTypeOf(value)}`);
      const allowed = shape.enums?.[key];
      if (allowed !== undefined && typeof value === 'string' && !allowed.includes(value)) {
        out.push(`${at}: "${value}" is not one of ${allowed.join(', ')}`);
      }
    } else {
      out.push(`${at}: unknown ${isTable(value) ? 'table' : 'key'} (xiu ignores it)`);
    }
  }
  for (const [key, spec] of Object.entries(shape.keys)) {
    if (spec.required && !(key in table)) out.push(`${path}.${key}: required key missing (xiu does not start)`);
  }
  for (const [key, sub] of Object.entries(shape.tables ?? {})) {
    if (sub.required && !(key in table)) out.push(`${path}.${key}: required table missing (xiu does not start)`);
  }
}

/** Findings, one line each; empty when xiu reads the config exactly as written. */
export const checkXiuConfig = (config: TomlTable, contract: XiuContract): string[] => {
  const out: string[] = [];
  for (const [name, value] of Object.entries(config)) {
    const shape = contract.config[name];
    if (shape === undefined) out.push(`${name}: unknown ${isTable(value) ? 'table' : 'key'} (xiu ignores it)`);
    else if (!isTable(value)) out.push(`${name}: expected a table, found ${tomlTypeOf(value)}`);
    else checkTable(name, value, shape, out);
  }
  for (const [name, shape] of Object.entries(contract.config)) {
    if (shape.required && !(name in config)) out.push(`${name}: required table missing (xiu does not start)`);
  }
  return out;
};
