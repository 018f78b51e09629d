/** A pino-compatible logger that keeps every line it is given, so tests can assert on what would be logged. */
export interface CapturedLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: object;
  msg?: string;
}

export interface CaptureLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  lines: CapturedLine[];
  /** everything logged, serialised as a log sink would write it */
  text(): string;
  at(level: CapturedLine['level']): CapturedLine[];
}

export function captureLogger(): CaptureLogger {
  const lines: CapturedLine[] = [];
  const at = (level: CapturedLine['level']) => (obj: object, msg?: string) => {
    lines.push({ level, obj, msg });
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    lines,
    text: () => lines.map((l) => JSON.stringify({ level: l.level, ...l.obj, msg: l.msg }, asPinoWould)).join('\n'),
    at: (level) => lines.filter((l) => l.level === level),
  };
}

/** pino writes an Error under `err` as its type, message and stack (pino.stdSerializers.err); so does this sink. */
function asPinoWould(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  return { ...value, type: value.name, message: value.message, stack: value.stack };
}
