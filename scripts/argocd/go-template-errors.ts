// Errors of the Go template subset evaluator (see go-template.ts).

/** Line and column (1-based) of an action inside the template text. */
export interface TemplatePosition {
  readonly line: number;
  readonly column: number;
}

/** A template that cannot be rendered: bad syntax, a missing key, a value Go would print as `<no value>`. */
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

/** A construct outside the supported subset; `construct` names it, e.g. `function call "normalize"`. */
export class UnsupportedTemplateError extends TemplateError {
  constructor(
    readonly construct: string,
    readonly action: string,
    where: string | undefined,
    position: TemplatePosition | undefined,
  ) {
    super(`unsupported template construct: ${construct} in ${action}; only fields, if/else/end and range are evaluated offline`, where, position);
    this.name = 'UnsupportedTemplateError';
  }
}
