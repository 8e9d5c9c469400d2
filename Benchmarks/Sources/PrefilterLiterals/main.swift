import DiagnosisRules

// The literals ecsdiagd's prefilter looks for in application log records (default settings), one per line, in the
// order of their prefilter bits. scripts/bench.sh hands exactly this set to `grep -F -f` and `rg -F -f`.
for literal in SignalMatcher.prefilterLiterals {
    precondition(!literal.contains("\n"), "a literal with a newline cannot be written one per line")
    print(literal)
}
