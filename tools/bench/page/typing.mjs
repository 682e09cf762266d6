// What the page benchmark (bench.mjs) and its trace (trace.mjs) share: their
// flags, the median, and the field they type into.

// `option('keys', 60)`: the value after `--keys` on the command line.
export function optionReader(args = process.argv.slice(2)) {
  return (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
  };
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length
    ? s.length % 2
      ? s[(s.length - 1) / 2]
      : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
    : NaN;
};

// Puts the caret at the end of the title of a future milestone in the middle
// of the list (built first: rows far from the screen are built when they come
// near it).
export async function focusMiddleTitle(page, contract) {
  const future = contract.milestones.filter((m) => m.funded === 0);
  const target = future[Math.floor(future.length / 2)].id;
  await page.locator(`#list > li[data-id="${target}"]`).scrollIntoViewIfNeeded();
  const input = page.locator(`#list > li[data-id="${target}"] input[data-field="title"]`);
  await input.scrollIntoViewIfNeeded();
  await input.click();
  await page.keyboard.press('End');
}
