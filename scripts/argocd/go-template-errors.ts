// Errors of the Go template evaluator (see go-template.ts).

/** Line and column (1-based) of an action inside the template text. */
export interface TemplatePosition {
  readonly line: number;
  readonly column: number;
}

/** A template Go would also fail on: bad syntax, a missing key under missingkey=error, a type error. */
export class TemplateError extends Error {
  /** The message without `where`, for reports that show the location separately. */
  readonly detail: string;

  constructor(
    message: string,
    readonly where: string | undefined,
    readonly position: TemplatePosition | undefined,
  ) {
    const detail = `${message}${position ? ` (line ${position.line}, column ${position.column})` : ''}`;
    super(`${where !== undefined ? `${where}: ` : ''}${detail}`);
    this.detail = detail;
    this.name = 'TemplateError';
  }
}

/** A construct whose Go result is not reproduced offline; `construct` names it, e.g. `function call "toYaml"`. */
export class UnsupportedTemplateError extends TemplateError {
  constructor(
    readonly construct: string,
    readonly action: string,
    where: string | undefined,
    position: TemplatePosition | undefined,
  ) {
    super(`unsupported template construct: ${construct} in ${action}; Go's result is not reproduced offline, so it is not evaluated`, where, position);
    this.name = 'UnsupportedTemplateError';
  }
}

/**
 * Go renders this template without error, but writes something no manifest should contain: `<no value>` for a
 * missing key or null, or fmt's `map[…]` / `[…]` form of a map or list. `goText` is exactly what Go writes there.
 */
export class SuspiciousOutputError extends TemplateError {
  constructor(
    message: string,
    readonly goText: string,
    where: string | undefined,
    position: TemplatePosition | undefined,
  ) {
    super(message, where, position);
    this.name = 'SuspiciousOutputError';
  }
}
