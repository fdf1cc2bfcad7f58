/**
 * What the kernel's thread and the language-service worker say to each other, and the plain data
 * the service hands back. Positions are UTF-16 offsets into the cell's text, as Jupyter sends them.
 */
export interface Diagnostic {
  /** The cell's script name, e.g. `In[3]`. */
  cell: string;
  /** 1-based line in the cell. */
  line: number;
  /** 1-based column in that line. */
  column: number;
  code: number;
  /** The whole message chain, flattened to lines. */
  message: string;
  category: "error" | "warning" | "suggestion" | "message";
}

export interface CompletionType {
  text: string;
  /** The kind of the symbol as TypeScript names it: "const", "method", "property", "keyword"... */
  type: string;
  start: number;
  end: number;
  /** Its type (`const data: number[]`), for the first matches only. */
  signature?: string;
}

export interface Completion {
  matches: string[];
  /** The word being completed is source[cursorStart, cursorEnd): a match replaces it. */
  cursorStart: number;
  cursorEnd: number;
  types?: CompletionType[];
}

export interface Inspection {
  found: boolean;
  text: string;
  markdown?: string;
}

export interface CommittedCell {
  name: string;
  source: string;
}

export interface Requests {
  start: { cwd: string; history: CommittedCell[] };
  warmUp: Record<string, never>;
  check: { source: string };
  commit: CommittedCell;
  complete: { source: string; cursor: number };
  inspect: { source: string; cursor: number; detailLevel: number };
}

export interface Replies {
  start: null;
  warmUp: null;
  check: Omit<Diagnostic, "cell">[];
  commit: null;
  complete: Completion;
  inspect: Inspection;
}

export type Operation = keyof Requests;

export interface RequestMessage<Op extends Operation = Operation> {
  id: number;
  op: Op;
  args: Requests[Op];
}

export type ReplyMessage =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; message: string; stack?: string };
