// The Graphviz C API made safe and deterministic for the diagram: string helpers for its `char*`
// parameters, graphs whose objects are kept in creation order, message capture, and rendering to bytes.
// Graphviz is not thread-safe: use it from one thread at a time.
#pragma once

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <functional>
#include <string>

namespace archlab::diagram::graphviz {

char* cs(const std::string& text);  // Graphviz 2.42 takes `char*` where it only reads (newer: const char*)
void set(void* object, const std::string& key, const std::string& value);
void set_html(Agraph_t* graph, void* object, const std::string& key, const std::string& html);  // an HTML-like label

// A directed graph whose subgraphs are ordered by creation, not by the heap address of their names.
Agraph_t* open_graph(const std::string& name);

// Collects what Graphviz reports while it lives, instead of letting it print to stderr.
class MessageCapture {
public:
  MessageCapture();
  ~MessageCapture();
  MessageCapture(const MessageCapture&) = delete;
  MessageCapture& operator=(const MessageCapture&) = delete;
  bool has_errors() const;
  const std::string& messages() const { return messages_; }

private:
  agusererrf previous_;
  std::string messages_;
};

std::string write_dot(Agraph_t* graph);                            // the source, not laid out
// "svg", "png": dot layout, then render; `inspect` (if any) reads the laid-out graph first. A null
// format renders nothing (and returns "").
std::string lay_out_and_render(Agraph_t* graph, const char* format, const std::function<void(Agraph_t*)>& inspect = {});

}  // namespace archlab::diagram::graphviz
