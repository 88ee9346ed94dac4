import type { ErrorObject } from 'ajv';

/** `/source/file/batch_size` becomes `source.file.batch_size`. */
function fieldPath(error: ErrorObject, prefix: string): string {
  const parts = error.instancePath.split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  const path = [prefix, ...parts].filter(Boolean).map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  return path || '(top level)';
}

function describe(error: ErrorObject, data: unknown): string {
  const p = error.params as Record<string, unknown>;
  const got = data === undefined ? '' : ` (got ${JSON.stringify(data)})`;
  switch (error.keyword) {
    case 'required':
      return `is missing the required field '${String(p.missingProperty)}'`;
    case 'additionalProperties':
      return `has an unknown field '${String(p.additionalProperty)}'${allowed(error)}`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}${got}`;
    case 'type':
      return `must be ${String(p.type).replace(/,/g, ' or ')}${got}`;
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return `must be ${String(p.comparison)} ${String(p.limit)}${got}`;
    case 'minLength':
      return Number(p.limit) === 1 ? `must not be empty` : `must be at least ${String(p.limit)} characters`;
    case 'maxLength':
      return `must be at most ${String(p.limit)} characters${got}`;
    case 'pattern':
      return `${patternHint(error)}${got}`;
    case 'minProperties':
      return `must name at least ${String(p.limit)} entr${Number(p.limit) === 1 ? 'y' : 'ies'}`;
    case 'maxProperties':
      return `must name at most ${String(p.limit)} entr${Number(p.limit) === 1 ? 'y' : 'ies'}`;
    case 'unknownConnector':
      return error.message ?? 'unknown connector type';
    case 'minItems': case 'maxItems':
      return `${error.message ?? 'has the wrong number of items'}${got}`;
    default:
      return `${error.message ?? 'is invalid'}${got}`;
  }
}

function allowed(error: ErrorObject): string {
  const properties = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  const names = properties ? Object.keys(properties) : [];
  return names.length > 0 ? `; allowed: ${names.join(', ')}` : '';
}

function patternHint(error: ErrorObject): string {
  const description = (error.parentSchema as { description?: string } | undefined)?.description;
  return description ? `must match: ${description}` : `must match the pattern ${String((error.params as { pattern: string }).pattern)}`;
}

function valueAt(root: unknown, instancePath: string): unknown {
  let value = root;
  for (const part of instancePath.split('/').slice(1)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return value;
}

/** One line per schema error: the field's path, the rule it breaks, what is allowed. */
export function formatSchemaErrors(errors: readonly ErrorObject[], data: unknown, prefix = ''): string[] {
  const lines = errors.map((error) => {
    const value = valueAt(data, error.instancePath);
    const shown = value !== null && typeof value === 'object' ? undefined : value;
    return `${fieldPath(error, prefix)}: ${describe(error, shown)}`;
  });
  return [...new Set(lines)];
}
