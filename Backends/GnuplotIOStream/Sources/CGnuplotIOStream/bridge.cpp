// The C face of gnuplot-iostream for Swift: one function, no C++ types across the boundary.
#include "CGnuplotIOStream.h"

#include <gnuplot-iostream.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace {

// A string as a single-quoted shell word.
std::string shell_quote(const std::string &s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') out += "'\\''";
        else out += c;
    }
    return out + "'";
}

// A string as a double-quoted gnuplot literal.
std::string gnuplot_quote(const std::string &s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '\\' || c == '"') out += '\\';
        out += c;
    }
    return out + "\"";
}

void copy_error(const std::string &message, char *error, size_t capacity) {
    if (!error || capacity == 0) return;
    std::strncpy(error, message.c_str(), capacity - 1);
    error[capacity - 1] = '\0';
}

const char *const kDone = "DESCENT_GNUPLOT_IOSTREAM_DONE";

} // namespace

extern "C" int descent_gnuplot_iostream_run(const char *directory, const char *script,
                                            char *error, size_t error_capacity) {
    char errTemplate[] = "/tmp/descent-gnuplot-iostream-XXXXXX";
    int fd = mkstemp(errTemplate);
    if (fd < 0) {
        copy_error("could not create a temporary file for gnuplot's messages", error, error_capacity);
        return 1;
    }
    close(fd);
    const std::string errPath = errTemplate;
    try {
        // gnuplot reads commands from the pipe; its messages go to a file we read afterwards.
        Gnuplot gp("cd " + shell_quote(directory) + " && exec gnuplot 2>" + shell_quote(errPath));
        gp << "reset errors\n";
        gp << "load " << gnuplot_quote(script) << "\n";
        // A script error stops the script (not the session) and sets GPVAL_ERRNO.
        gp << "if (GPVAL_ERRNO == 0) { print " << gnuplot_quote(kDone) << " }\n";
        gp << "exit status 0\n";  // the outcome travels in the marker, not the exit status
    } catch (const std::exception &e) {
        std::remove(errPath.c_str());
        copy_error(std::string("gnuplot-iostream: ") + e.what(), error, error_capacity);
        return 1;
    }
    std::ifstream in(errPath);
    std::stringstream messages;
    messages << in.rdbuf();
    std::remove(errPath.c_str());
    std::string text = messages.str();
    size_t done = text.find(kDone);
    if (done == std::string::npos) {
        copy_error(text.empty() ? "gnuplot stopped without a message (is it installed?)" : text, error, error_capacity);
        return 2;
    }
    return 0;
}
