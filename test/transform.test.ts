import assert from "node:assert/strict";
import { test } from "node:test";
import { prepareCell, type Scope } from "../kernel/execute/transform";

function notebook(): Scope & { run(js: string): ReturnType<typeof prepareCell> } {
  const scope: Scope = { kinds: new Map(), captured: new Set() };
  return Object.assign(scope, {
    run(js: string) {
      const prepared = prepareCell(js, scope);
      for (const [name, kind] of prepared.declares) scope.kinds.set(name, kind);
      for (const name of prepared.captures) scope.captured.add(name);
      return prepared;
    },
  });
}

test("a function's parameters and locals are its own: a top-level loop over the same names is still rewritten", () => {
  const cells = notebook();
  const functions = cells.run("function uses(s, sum, total) { let i = 0, result = 0; for (; i < 3; i++) result += s + sum + total; return result }");
  assert.deepEqual([...functions.captures], []);
  const loop = cells.run("let s = 0, result = 0\nfor (let i = 0; i < 10; i++) { s += i; result ^= i }");
  assert.match(loop.js, /\(\(__tsprofWriteBack, __tsprofFlag, __tsprofInterrupted, s, result\) =>/);
  assert.equal(loop.checksStop, true);
});

test("a function that really closes over a top-level variable keeps the loop on the variable itself", () => {
  const cells = notebook();
  assert.deepEqual([...cells.run("let live = 0\nfunction peek() { return live }").captures], ["live"]);
  const loop = cells.run("for (let k = 0; k < 10; k++) live++");
  assert.doesNotMatch(loop.js, /__tsprofWriteBack/);
});

test("free names: nested functions, blocks, catch parameters, class bodies", () => {
  const cells = notebook();
  const prepared = cells.run(
    "function f(a) { var v = 1; const g = () => a + v + outerA; try { } catch (e) { e + outerB } { let b = 1; b + outerC } return g }\nclass K { x = fieldRef; m() { return this.x + methodRef } }",
  );
  assert.deepEqual([...prepared.captures].sort(), ["fieldRef", "methodRef", "outerA", "outerB", "outerC"]);
});
