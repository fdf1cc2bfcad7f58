/**
 * A magic is one module that declares its options once and adapts an engine: the declaration drives
 * parsing, `%name?` help and UsageErrors; `run` turns parsed options into an engine call and hands
 * the engine's result to renderers.
 */
export type OptionType = "flag" | "int" | "float" | "string";

export interface OptionSpec {
  /** The letter after the dash: `n` for `-n 10`. */
  flag: string;
  /** Property name in the parsed options. */
  name: string;
  type: OptionType;
  repeat?: boolean;
  /** Smallest allowed value for numbers. */
  min?: number;
  metavar?: string;
  help: string;
}

export type OptionValues = Record<string, boolean | number | string | Array<number | string> | undefined>;

export interface MagicInvocation {
  mode: "line" | "cell";
  options: OptionValues;
  /** What follows the options on the magic line, as typed. */
  rest: string;
  /** Where `rest` starts in the cell, for error positions (1-based line, 0-based column). */
  restAt: { line: number; column: number };
  /** Cell magics: the lines after the `%%` line. */
  body?: string;
  bodyLine?: number;
}

export interface MagicContext {
  /** The script name of the running cell, e.g. `In[7]`. */
  readonly cellName: string;
  /** The notebook's directory. */
  readonly cwd: string;
  /** Compiles TypeScript as cell code standing at `at`; the returned function runs it. */
  compile(source: string, at?: { line: number; column: number }): () => Promise<unknown>;
  /** Compiles and runs: the statement's value. */
  evaluate(source: string, at?: { line: number; column: number }): Promise<unknown>;
  /** TypeScript → JavaScript with lines kept, for engines that build their own code. */
  toJavaScript(source: string): string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Shows a value richly (display_data with its text and HTML). */
  display(value: unknown): void;
  /** Runs synchronous work so that an interrupt stops it with a catchable KeyboardInterrupt. */
  interruptibly<T>(work: () => T): T;
  /** Aborted when the user interrupts the kernel. */
  readonly signal: AbortSignal;
}

export interface MagicDefinition {
  name: string;
  aliases?: string[];
  line: boolean;
  cell: boolean;
  /** One line for %lsmagic. */
  summary: string;
  /** `%name [-n N] statement` */
  usage: string;
  /** Longer help shown by `%name?`. */
  help: string;
  options: OptionSpec[];
  /** The line form needs a statement after its options: without one it is a UsageError showing `usage`. */
  needsStatement?: boolean;
  /** Cell mode: may options/text follow `%%name`? "none" makes `%%time x` a UsageError like IPython. */
  cellLine?: "none" | "options" | "any";
  run(invocation: MagicInvocation, context: MagicContext): Promise<unknown>;
}
