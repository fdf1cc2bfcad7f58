import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as vm from "node:vm";
import { TimeRecorder } from "../magics/engines/line/recorders";
import { siteCount, sitesSince, switchOff, switchOn } from "../magics/engines/line/sites";
import { addProfileSwitches } from "../magics/engines/line/switches";

/**
 * The profiling switches change no behaviour and move no line, with every function switched off
 * and with every function switched on, on code written in the ways that trip up a rewriter:
 * no semicolons, comments, multi-line strings and templates, labels, class fields, getters,
 * generators, async code, `arguments`, `super`, `new.target`, one-line functions.
 */
const PROGRAMS: Record<string, string> = {
  "no semicolons, comments, a multi-line template and a string continuation": `
function run() {
  let a = 1 // a comment
  let b = a
  ;[a, b] = [b + 1, a]
  const t = \`line one
line two \${a /* inline */}\`
  const s = "one \\
two"
  return [a, b, t, s].join("|")
}`,
  "labels, switch without semicolons, do-while, for-in, regex": `
function run() {
  const out = []
  outer: for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      if (j === 2) continue outer
      if (i === 2) break outer
      out.push(i * 10 + j)
    }
  }
  switch (out.length) {
    case 4:
      out.push("four")
    case 5:
      out.push("fall")
      break
    default:
      out.push("other")
  }
  let k = 0
  do k++
  while (k < 3)
  for (const key in { x: 1, y: 2 }) out.push(key)
  return out.concat(k, /a\\/b/.test("a/b"), 4 / 2 / 1)
}`,
  "classes: fields without semicolons, getters, setters, static, super, new.target, private": `
class Base {
  count = 0
  static made = 0
  #secret = 7
  constructor(n) {
    this.count = n
    Base.made++
    this.kind = new.target.name
  }
  get double() { return this.count * 2 }
  set double(v) { this.count = v / 2 }
  peek() { return this.#secret }
  describe() { return "base " + this.count }
}
class Child extends Base {
  extra = () => this.count + 1
  constructor(n) {
    super(n + 1)
  }
  describe() {
    return "child of " + super.describe()
  }
}
function run() {
  Base.made = 0
  const c = new Child(1)
  c.double = 10
  return [c.count, c.double, c.kind, c.peek(), c.describe(), c.extra(), Base.made]
}`,
  "generators, async functions, arguments, default and destructured parameters, one-liners": `
function* gen(n) { for (let i = 0; i < n; i++) yield i * i }
async function twice(x) { const a = await x; return a * 2 }
function variadic(first, { a = 1, b: [c] = [2] } = {}, ...rest) {
  return [first, a, c, rest.length, arguments.length]
}
const sq = (x) => x * x, obj = { m() { return [...gen(3)] }, get g() { return 5 } }
const curry = (a) => (b) => (c) => a + b + c
function run() {
  return Promise.all([twice(21), twice(Promise.resolve(2))]).then((t) =>
    [t, variadic(1, { b: [9] }, 3, 4), variadic(0), sq(7), obj.m(), obj.g, curry(1)(2)(3)])
}`,
  "closures keep shared state; recursion": `
function makeCounter() {
  let n = 0
  return { inc: () => ++n, get: function () { return n } }
}
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2) }
function run() {
  const c = makeCounter()
  c.inc(); c.inc()
  return [c.get(), fib(15)]
}`,
};

function compile(js: string, name: string): () => unknown {
  return vm.runInThisContext(`(() => {${js}\nreturn run; })()`, { filename: name }) as () => unknown;
}

for (const [title, js] of Object.entries(PROGRAMS)) {
  test(`switched code behaves as written: ${title}`, async () => {
    const name = `switches-${title.slice(0, 12)}`;
    const first = siteCount();
    const switched = addProfileSwitches(js, name, { kind: "file" })!;
    const sites = sitesSince(first);
    assert.ok(sites.length > 0);
    assert.equal(switched.split("\n").length, js.split("\n").length, "no line moved");
    const expected = await compile(js, `${name}-plain`)();
    const run = compile(switched, name);
    assert.deepEqual(await run(), expected, "switched off");
    const recorders = sites.map(({ id, info }) => {
      const recorder = new TimeRecorder(info.firstLine, info.lastLine);
      switchOn(id, recorder);
      return recorder;
    });
    try {
      assert.deepEqual(await run(), expected, "switched on");
    } finally {
      for (const { id } of sites) switchOff(id);
    }
    assert.ok(recorders.some((r) => r.calls > 0));
    assert.deepEqual(await run(), expected, "switched off again");
  });
}
