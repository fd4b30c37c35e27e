#pragma once

#include "blocks/blockverifier.h"

#include <QString>

#include <cstdio>

// What every ferryctl command prints: lines, errors (exit status 2), the progress line
// on a terminal and the summary of a compare.

void printLine(FILE *stream, const QString &text);

// Prints "ferryctl: error: MESSAGE" (and {"error": ...} on stdout with --json); returns 2.
int fail(bool json, const QString &message);

// Progress on a terminal: one line rewritten in place, at the verifier's pace.
class TerminalProgress
{
public:
    explicit TerminalProgress(bool enabled) : m_enabled(enabled) {}
    void update(const ferry::VerificationProgress &progress);
    void finish();

private:
    bool m_enabled;
    bool m_drawn = false;
};

// The readable summary, or one JSON object with --json. wireBytes < 0: a local compare
// (no "bytes_on_wire").
void printSummary(bool json, const QString &source, const QString &target, const ferry::VerifierOptions &options,
                  const ferry::VerificationSummary &summary, qint64 wireBytes);
