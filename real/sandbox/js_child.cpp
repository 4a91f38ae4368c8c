// Duktape inside the sandbox child: a capped allocator, the exec-timeout hook
// the patched duk_config.h calls, console.log with an output cap, and the
// seed's result rule (last expression's value as text).
#include <duktape.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <stdexcept>
#include <string>

#include "child_guard.hpp"

namespace archlab::real {
namespace {

using sandbox_detail::ChildReport;

struct JsState {
    std::size_t memory_cap_bytes = 0;
    std::size_t memory_used_bytes = 0;
    bool memory_hit = false;
    double cpu_deadline_s = 0;  // process CPU time at which the script must stop
    bool timed_out = false;
    std::size_t output_cap_bytes = 0;
    std::string output;
    bool output_hit = false;
    duk_context* ctx = nullptr;
};

double process_cpu_s() {
    timespec now{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// Each block carries its size in front so frees and reallocs keep the count exact.
constexpr std::size_t kHeader = alignof(std::max_align_t);

void* cap_alloc(void* udata, duk_size_t size) {
    auto* state = static_cast<JsState*>(udata);
    if (size > state->memory_cap_bytes - state->memory_used_bytes) {
        state->memory_hit = true;
        return nullptr;
    }
    auto* block = static_cast<unsigned char*>(std::malloc(size + kHeader));
    if (!block) {
        state->memory_hit = true;
        return nullptr;
    }
    *reinterpret_cast<std::size_t*>(block) = size;
    state->memory_used_bytes += size;
    return block + kHeader;
}

void cap_free(void* udata, void* ptr) {
    if (!ptr) return;
    auto* block = static_cast<unsigned char*>(ptr) - kHeader;
    static_cast<JsState*>(udata)->memory_used_bytes -= *reinterpret_cast<std::size_t*>(block);
    std::free(block);
}

void* cap_realloc(void* udata, void* ptr, duk_size_t size) {
    if (!ptr) return cap_alloc(udata, size);
    if (size == 0) {
        cap_free(udata, ptr);
        return nullptr;
    }
    auto* state = static_cast<JsState*>(udata);
    auto* block = static_cast<unsigned char*>(ptr) - kHeader;
    const std::size_t old_size = *reinterpret_cast<std::size_t*>(block);
    if (size > old_size && size - old_size > state->memory_cap_bytes - state->memory_used_bytes) {
        state->memory_hit = true;
        return nullptr;
    }
    auto* grown = static_cast<unsigned char*>(std::realloc(block, size + kHeader));
    if (!grown) {
        state->memory_hit = true;
        return nullptr;
    }
    *reinterpret_cast<std::size_t*>(grown) = size;
    state->memory_used_bytes = state->memory_used_bytes - old_size + size;
    return grown + kHeader;
}

// Duktape calls this on errors it cannot throw (e.g. out of memory while
// building an error); it must not return.
void on_fatal(void* udata, const char* message) {
    auto* state = static_cast<JsState*>(udata);
    ChildReport report;
    report.kind = state && state->memory_hit ? OutcomeKind::memory_limit : OutcomeKind::killed;
    report.error = std::string("duktape fatal error: ") + (message ? message : "");
    if (state) report.output = state->output;
    sandbox_detail::finish_child(report);
}

// Appends one console.log line within the cap; false once the cap is reached.
bool append_console_line(duk_context* ctx, JsState& state) {
    std::string line;
    const duk_idx_t count = duk_get_top(ctx);
    for (duk_idx_t i = 0; i < count; ++i) {
        if (i > 0) line += ' ';
        line += duk_safe_to_string(ctx, i);
    }
    line += '\n';
    const std::size_t room = state.output_cap_bytes - state.output.size();
    if (line.size() > room) {
        state.output.append(line, 0, room);
        state.output_hit = true;
        return false;
    }
    state.output += line;
    return true;
}

duk_ret_t console_log(duk_context* ctx) {
    duk_memory_functions funcs;
    duk_get_memory_functions(ctx, &funcs);
    auto* state = static_cast<JsState*>(funcs.udata);
    // duk_error longjmps, so no C++ object may be alive in this frame when it runs.
    if (append_console_line(ctx, *state)) return 0;
    return duk_error(ctx, DUK_ERR_RANGE_ERROR, "output limit of %lu bytes reached",
                     static_cast<unsigned long>(state->output_cap_bytes));
}

void prepare(JsState& state) {
    // Date calls mktime, which re-reads the zone file unless TZ is set and
    // unchanged; with TZ fixed here it is read once, before open() is banned.
    // Jobs see UTC, as on a cloud worker.
    ::setenv("TZ", "UTC", 1);
    ::tzset();
    state.ctx = duk_create_heap(cap_alloc, cap_realloc, cap_free, &state, on_fatal);
    if (!state.ctx) throw std::runtime_error("duk_create_heap failed");
    duk_push_object(state.ctx);
    duk_push_c_function(state.ctx, console_log, DUK_VARARGS);
    duk_put_prop_string(state.ctx, -2, "log");
    duk_put_global_string(state.ctx, "console");
    // The engine's own namespace (GC control, finalizers, coroutines) is not
    // part of the job language, so one less surface to get wrong.
    duk_push_global_object(state.ctx);
    duk_del_prop_string(state.ctx, -1, "Duktape");
    duk_pop(state.ctx);
}

duk_ret_t coerce_to_string(duk_context* ctx, void*) {
    duk_to_string(ctx, -1);
    return 1;
}

ChildReport run(JsState& state, const std::string& code, const SandboxLimits& limits) {
    duk_context* ctx = state.ctx;
    state.cpu_deadline_s = process_cpu_s() + limits.cpu_timeout_s;
    bool succeeded = duk_peval_lstring(ctx, code.data(), code.size()) == 0;
    ChildReport report;
    std::string text;
    if (succeeded && (duk_is_undefined(ctx, -1) || duk_is_null(ctx, -1))) {
        text = sandbox_detail::kNoOutputText;
    } else {
        // Coercion may run the script's own toString, which may throw (the seed
        // then reports failure too); the limits still hold meanwhile.
        if (succeeded) succeeded = duk_safe_call(ctx, coerce_to_string, nullptr, 1, 1) == 0;
        duk_size_t length = 0;
        const char* chars = duk_safe_to_lstring(ctx, -1, &length);
        text.assign(chars, length);
    }
    report.kind =
        sandbox_detail::script_outcome_kind(succeeded && !state.timed_out, state.timed_out,
                                            state.memory_hit, state.output_hit);
    if (report.kind == OutcomeKind::ok && text.size() > limits.output_bytes) {
        report.kind = OutcomeKind::output_limit;
        report.error = "result longer than " + std::to_string(limits.output_bytes) + " bytes";
    } else if (report.kind == OutcomeKind::ok) {
        report.result = std::move(text);
    } else if (report.kind == OutcomeKind::timeout && !succeeded) {
        char limit[48];
        std::snprintf(limit, sizeof limit, " (CPU time limit %g s)", limits.cpu_timeout_s);
        report.error = text + limit;
    } else {
        report.error = std::move(text);
    }
    report.output = std::move(state.output);
    return report;  // the child exits next; the heap dies with it
}

}  // namespace

SandboxOutcome run_javascript(const std::string& code, const SandboxLimits& limits,
                              const std::function<void()>& on_tick, double tick_interval_s) {
    // Lives in the parent too but is only filled in by the child's copy.
    auto state = std::make_shared<JsState>();
    state->memory_cap_bytes = limits.memory_bytes;
    state->output_cap_bytes = limits.output_bytes;
    sandbox_detail::ChildProgram program;
    program.prepare = [state] { prepare(*state); };
    program.run = [state, &code, &limits] { return run(*state, code, limits); };
    return sandbox_detail::run_in_child(program, limits, on_tick, tick_interval_s);
}

}  // namespace archlab::real

extern "C" int archlab_sandbox_exec_timeout_check(void* udata) {
    auto* state = static_cast<archlab::real::JsState*>(udata);
    if (!state) return 0;
    if (!state->timed_out && state->cpu_deadline_s > 0 &&
        archlab::real::process_cpu_s() >= state->cpu_deadline_s)
        state->timed_out = true;
    return state->timed_out ? 1 : 0;
}
