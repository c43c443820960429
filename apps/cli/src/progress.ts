/**
 * Progress on stderr for long jobs: a redrawn line on a terminal, and a line per 10 % when
 * stderr is a file or a pipe (CI logs stay readable). stdout stays the command's result.
 */
export function progressReporter(label: string): (done: number, total: number) => void {
  const tty = process.stderr.isTTY;
  let lastDecile = -1;
  return (done, total) => {
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    if (tty) {
      const width = 30;
      const filled = Math.round((percent / 100) * width);
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} (${percent}%)${done >= total ? '\n' : ''}`);
      return;
    }
    const decile = Math.floor(percent / 10);
    if (decile !== lastDecile) {
      lastDecile = decile;
      process.stderr.write(`${label}: ${done}/${total} (${percent}%)\n`);
    }
  };
}
