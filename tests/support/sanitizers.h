#pragma once

// Whether this test runs under AddressSanitizer (scripts/test-asan.sh). Such a build runs
// several times slower, and its memory use (shadow memory, the quarantine of freed blocks) says
// nothing about a plain build's: time budgets grow there, memory budgets are checked only in
// the plain build (the tests that hold them carry the label "budget", which CI's main build
// keeps).
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kUnderAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kUnderAddressSanitizer = true;
#else
inline constexpr bool kUnderAddressSanitizer = false;
#endif
#else
inline constexpr bool kUnderAddressSanitizer = false;
#endif
