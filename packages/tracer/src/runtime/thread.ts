/** This thread: whether it is the main thread, and its `threadId` (0 on the main thread). */
export interface ThreadInfo {
  isMainThread: boolean;
  threadId: number;
}

/**
 * Without loading `node:worker_threads` on the main thread (about 8 ms of start-up: it loads Node's worker and
 * messaging internals). A worker thread's bootstrap has always loaded that module already, so where neither it nor
 * its internal module is in the load list, this is the main thread; otherwise the module is at hand and asked.
 */
export function currentThread(): ThreadInfo {
  const loaded = (process as unknown as { moduleLoadList?: string[] }).moduleLoadList;
  if (Array.isArray(loaded) && !loaded.includes('NativeModule worker_threads') && !loaded.includes('NativeModule internal/worker')) {
    return { isMainThread: true, threadId: 0 };
  }
  const threads = process.getBuiltinModule('node:worker_threads') as typeof import('node:worker_threads');
  return { isMainThread: threads.isMainThread, threadId: threads.threadId };
}
