/** What the line profilers may instrument: plain functions and methods with JavaScript source. */

export interface LineTarget {
  fn: Function;
  /** How the user named it (`countCommon`, `obj.method`, `Acc.prototype.add`). */
  label: string;
}

/** A `-f` value as the magic adapter evaluated it in the user's context. */
export interface TargetInput {
  expression: string;
  value: unknown;
}

export class LineProfilerUsageError extends Error {
  override name = "LineProfilerUsageError";
}

const ALLOWED = "profile plain functions, arrow functions and methods (e.g. -f countCommon, -f obj.method, -f SomeClass.prototype.method)";

/** Why a function with JavaScript source still has no profiling switch, and what to do instead. */
export const NOT_PREPARED =
  "tsprof line-profiles the functions it compiled itself: those defined in notebook cells, in local .ts/.js modules they import, " +
  "and in scripts run with tsprof lprof/mprof (not npm packages, not code compiled before the kernel saw it). " +
  "For a time profile of any code use %prun";

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? `an object (${Object.prototype.toString.call(value).slice(8, -1)})` : `a ${typeof value}`;
}

/** A class given as a target stands for its constructor. */
function hasOwnConstructor(classSource: string): boolean {
  const acorn = require("acorn") as typeof import("acorn");
  try {
    const program = acorn.parse(`(${classSource})`, { ecmaVersion: "latest" }) as any;
    return program.body[0].expression.body.body.some((m: any) => m.type === "MethodDefinition" && m.kind === "constructor");
  } catch {
    return false;
  }
}

/** Why `value` cannot be line-profiled, or undefined when it can. */
export function rejectionReason(expression: string, value: unknown): string | undefined {
  if (typeof value !== "function") return `'${expression}' is ${describe(value)}, not a function: ${ALLOWED}`;
  const source = Function.prototype.toString.call(value);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
    return `'${expression}' is a builtin, native or bound function (no JavaScript source to instrument): ${ALLOWED}; for builtins use %prun`;
  }
  if (/^class\b/.test(source) && !hasOwnConstructor(source)) {
    const name = (value as Function).name || expression;
    return `'${expression}' is a class without a constructor of its own: profile its methods instead (-f ${name}.prototype.method, or -m for a whole module)`;
  }
  return undefined;
}

export function resolveTargets(inputs: TargetInput[]): LineTarget[] {
  const targets: LineTarget[] = [];
  for (const input of inputs) {
    const reason = rejectionReason(input.expression, input.value);
    if (reason) throw new LineProfilerUsageError(reason);
    const fn = input.value as Function;
    if (!targets.some((t) => t.fn === fn)) targets.push({ fn, label: input.expression });
  }
  return targets;
}

function methodTargets(owner: object, prefix: string, targets: LineTarget[]): void {
  for (const key of Object.getOwnPropertyNames(owner)) {
    if (key === "constructor") continue;
    const descriptor = Object.getOwnPropertyDescriptor(owner, key)!;
    for (const fn of [descriptor.value, descriptor.get, descriptor.set]) {
      if (rejectionReason(key, fn) !== undefined) continue;
      targets.push({ fn, label: `${prefix}.${key}` });
    }
  }
}

/**
 * `-m module`: every function the module exports and every method (prototype and static) of the
 * classes it exports, like line_profiler's `-m`.
 */
export function moduleTargets(moduleExports: unknown, moduleName: string): LineTarget[] {
  if (moduleExports === null || (typeof moduleExports !== "object" && typeof moduleExports !== "function")) {
    throw new LineProfilerUsageError(`module '${moduleName}' is ${describe(moduleExports)}, not a module object with functions`);
  }
  const targets: LineTarget[] = [];
  const exportsObject = moduleExports as Record<string, unknown>;
  for (const key of Object.keys(exportsObject)) {
    const value = exportsObject[key];
    if (typeof value !== "function") continue;
    const source = Function.prototype.toString.call(value);
    if (/^class\b/.test(source)) {
      methodTargets(value.prototype, `${key}.prototype`, targets);
      methodTargets(value, key, targets);
    } else if (rejectionReason(key, value) === undefined) {
      targets.push({ fn: value, label: key });
    }
  }
  const unique = targets.filter((t, i) => targets.findIndex((u) => u.fn === t.fn) === i);
  if (unique.length === 0) throw new LineProfilerUsageError(`module '${moduleName}' exports no functions or classes with source to profile`);
  return unique;
}

/** Accepts bare functions where a target is expected (the library API). */
export function asTargets(items: Array<Function | LineTarget>): LineTarget[] {
  return resolveTargets(
    items.map((item) =>
      typeof item === "function"
        ? { expression: item.name || "(anonymous)", value: item }
        : { expression: item.label, value: item.fn },
    ),
  );
}
