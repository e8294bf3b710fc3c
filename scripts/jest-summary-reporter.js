const fs = require('node:fs');

// Ends a jest run with one plain line that any CI can read: "tests: N passed, N failed".
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `tests: ${results.numPassedTests} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
    // Printed on exit so it comes after jest's own summary, as the run's last line.
    // A synchronous write, because --forceExit ends the process before streams flush.
    process.once('exit', () => fs.writeSync(1, `\n${line}\n`));
  }
}
module.exports = SummaryReporter;
