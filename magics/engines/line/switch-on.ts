import * as acorn from "acorn";
import { performance } from "node:perf_hooks";
import { FUNCTION_TYPES, type AstNode } from "./instrument";
import type { Recorder } from "./recorders";
import { isOn, siteInfo, SWITCHES, switchOff, switchOn } from "./sites";
import { LineProfilerUsageError, NOT_PREPARED, type LineTarget } from "./targets";

/** A function being profiled: its site switched on, its recorder collecting. */
export interface ProfiledFunction<R extends Recorder> {
  name: string;
  label: string;
  recorder: R;
  /** Script name: `In[3]` for a cell, the path of a module. */
  file: string;
  firstLine: number;
  lastLine: number;
  site: number;
}

export interface Switching<R extends Recorder> {
  functions: ProfiledFunction<R>[];
  /** Milliseconds spent finding the sites and switching them on. */
  switchMs: number;
  /** Switches every site back off (the functions run as written again); returns the milliseconds it took. */
  off(): number;
}

const PARSE_OPTIONS: acorn.Options = { ecmaVersion: "latest", allowSuperOutsideMethod: true };

const constructorOf = (root: AstNode): AstNode | undefined =>
  root.type === "ClassExpression" ? root.body.body.find((m: AstNode) => m.kind === "constructor")?.value : undefined;

/**
 * The function node of `Function.prototype.toString`'s text: a declaration, expression, arrow or
 * method; for a class, its constructor.
 */
function parseFunctionText(source: string): AstNode | undefined {
  const attempts: Array<[string, string, (root: AstNode) => AstNode | undefined]> = [
    ["(", "\n);", (root) => constructorOf(root) ?? root],
    ["({", "\n});", (root) => root.properties?.[0]?.value],
    ["(class{", "\n});", (root) => root.body?.body?.[0]?.value],
  ];
  for (const [open, close, pick] of attempts) {
    let program: AstNode;
    try {
      program = acorn.parse(open + source + close, PARSE_OPTIONS) as AstNode;
    } catch {
      continue;
    }
    const statement = program.body[0];
    if (program.body.length !== 1 || statement.type !== "ExpressionStatement") continue;
    const fn = pick(statement.expression);
    if (fn && FUNCTION_TYPES.has(fn.type)) return fn;
  }
  return undefined;
}

/** The site number in the function's switch, or undefined for code tsprof did not compile. */
export function siteOf(fn: Function): number | undefined {
  const source = Function.prototype.toString.call(fn);
  if (!source.includes(SWITCHES)) return undefined;
  const node = parseFunctionText(source);
  if (!node) return undefined;
  const body = node.body as AstNode;
  let switchNode: AstNode | undefined;
  if (body.type === "BlockStatement") {
    const statements = body.body as AstNode[];
    switchNode = statements.find((s) => s.directive === undefined && s.type !== "EmptyStatement");
    switchNode = switchNode?.type === "IfStatement" ? switchNode.test : undefined;
  } else if (body.type === "ConditionalExpression") switchNode = body.test;
  if (!switchNode || switchNode.type !== "MemberExpression" || switchNode.object.name !== SWITCHES) return undefined;
  const id = switchNode.property.type === "Literal" ? switchNode.property.value : undefined;
  return typeof id === "number" && Number.isInteger(id) ? id : undefined;
}

/** Switches the targets' sites on, each with a recorder of its own. */
export function switchOnTargets<R extends Recorder>(
  targets: LineTarget[],
  makeRecorder: (firstLine: number, lastLine: number) => R,
): Switching<R> {
  const started = performance.now();
  const functions: ProfiledFunction<R>[] = [];
  for (const target of targets) {
    const site = siteOf(target.fn);
    const info = site === undefined ? undefined : siteInfo(site);
    if (site === undefined || !info) throw new LineProfilerUsageError(`cannot line-profile '${target.label}': ${NOT_PREPARED}`);
    if (isOn(site) || functions.some((f) => f.site === site)) {
      throw new LineProfilerUsageError(`'${target.label}' is already being line-profiled`);
    }
    functions.push({
      name: info.name === "(anonymous)" ? target.label : info.name,
      label: target.label,
      recorder: makeRecorder(info.firstLine, info.lastLine),
      file: info.file,
      firstLine: info.firstLine,
      lastLine: info.lastLine,
      site,
    });
  }
  for (const fn of functions) switchOn(fn.site, fn.recorder);
  const switchMs = performance.now() - started;
  let done = false;
  return {
    functions,
    switchMs,
    off() {
      if (done) return 0;
      done = true;
      const t0 = performance.now();
      for (const fn of functions) switchOff(fn.site);
      return performance.now() - t0;
    },
  };
}
