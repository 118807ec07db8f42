/**
 * Loaded before every test file (jest.shared.js): a test that makes no assertion fails, so no test
 * can pass by asserting nothing (a loop over an empty list, a callback never called, a forgotten
 * `await`).
 */
beforeEach(() => {
  expect.hasAssertions();
});
