"""Test support code: fakes shared by the test suite and the benchmarks."""
