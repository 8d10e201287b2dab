/** Progress of a long step: a bar on a terminal, a line per step otherwise (logs, CI). */
export interface Progress {
  step(label: string): void;
  update(done: number, total: number): void;
  end(): void;
}

export const silentProgress: Progress = { step() {}, update() {}, end() {} };

function size(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024 / 1024).toFixed(1)} GiB`;
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${Math.ceil(bytes / 1024)} KiB`;
}

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = stream.isTTY === true;
  let label = '';
  let open = false;
  let last = 0;
  const finishLine = () => {
    if (open && tty) stream.write('\n');
    open = false;
  };
  return {
    step(next) {
      finishLine();
      label = next;
      if (!tty) stream.write(`${label} …\n`);
      else {
        stream.write(`\r${label.padEnd(34)} …`);
        open = true;
      }
    },
    update(done, total) {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 80 && done < total) return;
      last = now;
      const width = 30;
      const ratio = total > 0 ? Math.min(1, done / total) : 0;
      const filled = Math.round(ratio * width);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      stream.write(
        `\r${label.padEnd(34)} ${bar} ${String(Math.round(ratio * 100)).padStart(3)} %  ${size(done)}  `,
      );
      open = true;
    },
    end() {
      finishLine();
    },
  };
}
