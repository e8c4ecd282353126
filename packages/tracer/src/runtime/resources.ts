import { nowUs, type Recorder } from './recorder.js';

/**
 * Resources: operations Node can name (an HTTP request, a child process, a file read). Each is linked
 * to the frame running when it started, which is the user-code call that will wait on it.
 */
export class Resources {
  private next = 1;
  constructor(private readonly rec: Recorder) {}

  start(kind: string, detail: string): number {
    const id = this.next++;
    const rec = this.rec;
    if (rec.on) {
      const f = rec.cur;
      rec.sink.line(
        `["Q",${id},${JSON.stringify(kind)},${f === null ? 0 : f.id},${f === null ? rec.curRoot : f.root},${nowUs()},${JSON.stringify(detail)}]\n`,
      );
    }
    return id;
  }

  end(id: number, failed: boolean): void {
    if (this.rec.on) this.rec.sink.line(`["q",${id},${nowUs()},${failed ? 1 : 0}]\n`);
  }
}
