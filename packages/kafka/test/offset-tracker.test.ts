import { PartitionOffsetTracker } from '../src/consumer/offset-tracker';

describe('PartitionOffsetTracker', () => {
  test('commits only past a contiguous done prefix', () => {
    const tracker = new PartitionOffsetTracker();
    for (const offset of ['10', '11', '12', '13']) tracker.track(offset);
    expect(tracker.committable()).toBeUndefined();
    tracker.complete('12');
    expect(tracker.committable()).toBeUndefined();
    tracker.complete('10');
    expect(tracker.committable()).toBe('11');
    tracker.complete('11');
    expect(tracker.committable()).toBe('13');
    expect(tracker.inFlight).toBe(1);
    tracker.complete('13');
    expect(tracker.committable()).toBe('14');
    expect(tracker.inFlight).toBe(0);
  });

  test('gaps in the numbering do not hold commits back', () => {
    const tracker = new PartitionOffsetTracker();
    for (const offset of ['5', '7', '9']) tracker.track(offset);
    tracker.complete('5');
    tracker.complete('7');
    expect(tracker.committable()).toBe('8');
  });

  test('an offset already committed is not offered again', () => {
    const tracker = new PartitionOffsetTracker();
    tracker.track('0');
    tracker.complete('0');
    tracker.committed('1');
    expect(tracker.committable()).toBeUndefined();
    tracker.track('1');
    tracker.complete('1');
    expect(tracker.committable()).toBe('2');
  });

  test('offsets beyond 2^53 stay exact', () => {
    const tracker = new PartitionOffsetTracker();
    tracker.track('9007199254740993');
    tracker.complete('9007199254740993');
    expect(tracker.committable()).toBe('9007199254740994');
  });

  test('out-of-order tracking is refused', () => {
    const tracker = new PartitionOffsetTracker();
    tracker.track('3');
    expect(() => tracker.track('3')).toThrow(RangeError);
    expect(() => tracker.track('2')).toThrow(RangeError);
  });

  test('long runs compact without losing the commit point', () => {
    const tracker = new PartitionOffsetTracker();
    for (let i = 0; i < 5000; i += 1) tracker.track(String(i));
    for (let i = 0; i < 4999; i += 1) tracker.complete(String(i));
    expect(tracker.committable()).toBe('4999');
    expect(tracker.inFlight).toBe(1);
    tracker.complete('4999');
    expect(tracker.committable()).toBe('5000');
  });
});
