import { UsageError } from "../kernel/execute/errors";
import type { MagicDefinition, OptionSpec, OptionValues } from "./types";

/**
 * getopt-style parsing, as IPython does it: options come first (`-n10` or `-n 10`, flags may be
 * grouped as `-qo`), the first word that is not an option starts the statement, which is kept as
 * typed. `--` ends the options.
 */
export interface ParsedLine {
  options: OptionValues;
  rest: string;
  restOffset: number;
}

export function getoptSpec(options: OptionSpec[]): string {
  return options.map((o) => (o.type === "flag" ? o.flag : `${o.flag}:`)).join("");
}

export function parseOptions(magic: MagicDefinition, line: string): ParsedLine {
  const values: OptionValues = {};
  for (const option of magic.options) {
    if (option.repeat) values[option.name] = [];
    else if (option.type === "flag") values[option.name] = false;
  }
  const allowed = `( allowed: "${getoptSpec(magic.options)}" )`;
  let position = 0;
  const skipSpace = () => {
    while (position < line.length && /\s/.test(line[position])) position++;
  };
  for (;;) {
    skipSpace();
    if (line.startsWith("--", position) && (position + 2 === line.length || /\s/.test(line[position + 2]))) {
      position += 2;
      skipSpace();
      break;
    }
    if (line[position] !== "-" || !/[A-Za-z]/.test(line[position + 1] ?? "")) break;
    position++;
    while (position < line.length && !/\s/.test(line[position])) {
      const letter = line[position++];
      const option = magic.options.find((o) => o.flag === letter);
      if (!option) throw new UsageError(`option -${letter} not recognized ${allowed}`);
      if (option.type === "flag") {
        values[option.name] = true;
        continue;
      }
      let raw: string;
      if (position < line.length && !/\s/.test(line[position])) {
        [raw, position] = readWord(line, position);
      } else {
        skipSpace();
        if (position >= line.length) throw new UsageError(`option -${letter} requires argument ${allowed}`);
        [raw, position] = readWord(line, position);
      }
      const value = convert(option, raw);
      if (option.repeat) (values[option.name] as Array<number | string>).push(value);
      else values[option.name] = value;
      break;
    }
  }
  return { options: values, rest: line.slice(position), restOffset: position };
}

/** A word, or a quoted string with its quotes removed. */
function readWord(line: string, start: number): [string, number] {
  const quote = line[start];
  if (quote === '"' || quote === "'") {
    const end = line.indexOf(quote, start + 1);
    if (end < 0) throw new UsageError(`unterminated ${quote} in the magic's options`);
    return [line.slice(start + 1, end), end + 1];
  }
  let end = start;
  while (end < line.length && !/\s/.test(line[end])) end++;
  return [line.slice(start, end), end];
}

function convert(option: OptionSpec, raw: string): number | string {
  if (option.type === "string") return raw;
  const value = Number(raw);
  const integer = option.type === "int";
  const valid = raw.trim() !== "" && Number.isFinite(value) && (!integer || Number.isInteger(value));
  const bound = option.min !== undefined ? ` ≥ ${option.min}` : "";
  const what = integer ? `an integer${bound}` : `a number${bound}`;
  if (!valid || (option.min !== undefined && value < option.min)) {
    throw new UsageError(`option -${option.flag} expects ${what}, got '${raw}'`);
  }
  return value;
}

/** The `%name?` text: usage, description, then one line per option. */
export function helpText(magic: MagicDefinition): string {
  const lines = [magic.usage, "", magic.help.trim()];
  if (magic.options.length) {
    lines.push("", "Options:");
    for (const option of magic.options) {
      const argument = option.type === "flag" ? "" : ` ${option.metavar ?? option.type.toUpperCase()}`;
      lines.push(`  -${option.flag}${argument}`.padEnd(16) + option.help + (option.repeat ? " (repeatable)" : ""));
    }
  }
  return `${lines.join("\n")}\n`;
}
