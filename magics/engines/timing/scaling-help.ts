/** Help of the scaling magic (`%scaling?`), written for the magic's option declaration to reuse. */
export const SCALING_HELP = `Time a statement at several input sizes n and fit how its time grows.

  %scaling -n SIZES [-s SETUP] [-r R] [-l] [-o] [-q] STATEMENT
  %%scaling -n SIZES [-r R] [-l] [-o] [-q] [SETUP]
  BODY

The statement (or the cell body) is TypeScript using the variable \`n\`; it is timed at each size,
with the setup (also using \`n\`, run once per run and never timed) building its input. For each n the
statement runs in loops of at least 20 ms, R times, after one untimed warm-up; the reported time is
the best run's time per loop (noise only ever adds time). Then time ≈ c·n^k is fitted by least
squares on log(time) against log(n), and k is shown as "≈ O(n^k)": double n and a quadratic
statement takes 4× longer, a linear one 2×.

Options:
  -n SIZES  the sizes: a comma list (1000,2000,4000,8000; 1e3 and 10_000 allowed) or a doubling
            range START..END (1000..16000 = 1000,2000,4000,8000,16000). Required, at least two.
  -s SETUP  setup code using n, quoted when it has spaces: -s "const a = randomArray(n)".
            In the cell form, the text after the options on the %%scaling line is the setup.
  -r R      timed runs per size (default 5).
  -l        linear plot axes (default: log-log, where n^k is a straight line of slope k).
  -o        return the result object (rows(), fit.exponent, points, svg(), vegaLite()).
  -q        quiet: show nothing (with -o, to use the result in code).

Output: a table (n, time, × previous, local exponent), the fitted exponent, and a plot (SVG, and
Vega-Lite for JupyterLab).

Examples:
  %scaling -n 1000..16000 -s "const a = randomArray(n)" countPairs(a)

  %%scaling -n 500,1000,2000,4000 const a = randomArray(n), b = randomArray(n)
  countCommon(a, b)
`;
