import { describe, expect, it } from '@jest/globals';
import { HistoryWatermark } from './history-watermark.js';

describe('history watermark', () => {
  it('moves up with the ids it sees', () => {
    const mark = new HistoryWatermark(1_000);
    mark.start(0, [1, 2, 3], 0);
    expect(mark.high).toBe(3);
    expect(mark.pendingRanges(0)).toEqual([]);
  });

  it('keeps skipped ids as gaps until they are seen', () => {
    const mark = new HistoryWatermark(1_000);
    mark.start(0, [1, 2], 0);
    mark.observe([5, 7], 10);
    expect(mark.high).toBe(7);
    expect(mark.pendingRanges(10)).toEqual([
      { from: 3, to: 4 },
      { from: 6, to: 6 },
    ]);
    mark.observe([4, 6], 20);
    expect(mark.pendingRanges(20)).toEqual([{ from: 3, to: 3 }]);
  });

  it('gives a gap up after the timeout (a rolled-back insert never commits)', () => {
    const mark = new HistoryWatermark(1_000);
    mark.start(0, [1, 3], 0);
    expect(mark.pendingRanges(1_000)).toEqual([{ from: 2, to: 2 }]);
    expect(mark.pendingRanges(1_001)).toEqual([]);
  });

  it('treats ids missing above the start floor as gaps', () => {
    const mark = new HistoryWatermark(1_000);
    mark.start(100, [102, 103], 0);
    expect(mark.pendingRanges(0)).toEqual([{ from: 101, to: 101 }]);
  });

  it('merges many gaps into one range rather than growing without bound', () => {
    const mark = new HistoryWatermark(1_000, 4);
    mark.start(0, [], 0);
    mark.observe([2, 4, 6, 8, 10, 12], 0);
    expect(mark.pendingRanges(0)).toEqual([{ from: 1, to: 11 }]);
  });
});
