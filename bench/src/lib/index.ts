// Helpers shared by every benchmark in bench/src.
export { compare, measure, type BenchCase, type MeasureOptions, type Measurement } from './measure';
export { formatNs, formatRatio, printTable, ratioRows, renderTable, type Cell } from './table';
export { machineLine } from './machine';
export { median, roundRatio } from './rounds';
export { createBenchTopics } from './kafka-topics';
export { cpuPerEvent, sampleCpu, type CpuSample } from './server-cpu';
export { settleHeap } from './settle-heap';
