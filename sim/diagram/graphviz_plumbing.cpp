#include "sim/diagram/graphviz_plumbing.hpp"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace archlab::diagram::graphviz {

namespace {

// Graphviz reports through a global callback; collect its messages while we render.
std::string* graphviz_messages = nullptr;
int collect_message(char* message)
{
  if (graphviz_messages)
    *graphviz_messages += message;
  return 0;
}

// Object ids in creation order. Graphviz's default ids are the addresses of the interned names, and
// subgraphs are kept sorted by id, so boxes came out in an order that depended on the heap. Declining to
// map names makes cgraph keep them in its own table and take a counted id from `map` instead.
void* open_ids(Agraph_t*, Agdisc_t*) { return new IDTYPE(1); }
long map_id(void* state, int, char* name, IDTYPE* id, int)
{
  if (name)
    return 0;  // cgraph remembers the name itself and asks again with no name
  auto* next = static_cast<IDTYPE*>(state);
  *id = *next;
  *next += 2;  // odd, like Graphviz's own anonymous ids
  return 1;
}
long alloc_id(void*, int, IDTYPE) { return 0; }
void free_id(void*, int, IDTYPE) {}
char* print_id(void*, int, IDTYPE) { return nullptr; }
void close_ids(void* state) { delete static_cast<IDTYPE*>(state); }
void register_id(void*, int, void*) {}
Agiddisc_t counted_ids = {open_ids, map_id, alloc_id, free_id, print_id, close_ids, register_id};
Agdisc_t discipline = {&AgMemDisc, &counted_ids, &AgIoDisc};

struct ContextDeleter {
  void operator()(GVC_t* context) const { gvFreeContext(context); }
};

}  // namespace

char* cs(const std::string& text) { return const_cast<char*>(text.c_str()); }

void set(void* object, const std::string& key, const std::string& value)
{
  agsafeset(object, cs(key), cs(value), cs(""));
}

void set_html(Agraph_t* graph, void* object, const std::string& key, const std::string& html)
{
  char* interned = agstrdup_html(graph, cs(html));  // a plain string would show the markup itself
  agsafeset(object, cs(key), interned, cs(""));
  agstrfree(graph, interned);
}

Agraph_t* open_graph(const std::string& name)
{
  return agopen(cs(name), Agdirected, &discipline);
}

MessageCapture::MessageCapture() : previous_(agseterrf(collect_message))
{
  graphviz_messages = &messages_;
  agreseterrors();
}

MessageCapture::~MessageCapture()
{
  agseterrf(previous_);
  graphviz_messages = nullptr;
}

bool MessageCapture::has_errors() const { return agerrors() > 0; }  // AGERR or worse; warnings do not count

std::string write_dot(Agraph_t* graph)
{
  char* buffer = nullptr;
  std::size_t size = 0;
  FILE* stream = open_memstream(&buffer, &size);
  if (!stream)
    throw std::runtime_error("cannot open a memory stream for the DOT text");
  agwrite(graph, stream);
  std::fclose(stream);
  std::string text(buffer, size);
  std::free(buffer);
  return text;
}

std::string lay_out_and_render(Agraph_t* graph, const char* format, const std::function<void(Agraph_t*)>& inspect)
{
  std::unique_ptr<GVC_t, ContextDeleter> context(gvContext());
  if (!context || gvLayout(context.get(), graph, "dot") != 0)
    throw std::runtime_error("Graphviz could not lay out the diagram (is its plugin config there? run `dot -c` as root)");
  if (inspect)
    inspect(graph);
  if (!format) {
    gvFreeLayout(context.get(), graph);
    return "";
  }
  char* data = nullptr;
  unsigned int length = 0;
  int status = gvRenderData(context.get(), graph, format, &data, &length);
  std::string bytes = data ? std::string(data, length) : std::string();
  gvFreeRenderData(data);
  gvFreeLayout(context.get(), graph);  // before the graph is closed
  if (status != 0)
    throw std::runtime_error(std::string("Graphviz could not render ") + format);
  return bytes;
}

}  // namespace archlab::diagram::graphviz
