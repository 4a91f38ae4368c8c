#include "sim/webreport/report_page.hpp"

#include <catch2/catch.hpp>

using namespace archlab::webreport;

TEST_CASE("report page: every marker filled in one pass, an unknown one refused", "[webreport]")
{
  CHECK(fill_template("<title>{{title}}</title><h1>{{title}}</h1>{{data}}", {{"title", "T {{data}}"}, {"data", "D"}}) ==
        "<title>T {{data}}</title><h1>T {{data}}</h1>D");
  CHECK_THROWS(fill_template("{{nope}}", {}));
}

TEST_CASE("report page: data cannot end its script element", "[webreport]")
{
  auto text = json_for_script({{"event", "</script><!-- x"}});
  CHECK(text.find('<') == std::string::npos);
  CHECK(nlohmann::json::parse(text).at("event") == "</script><!-- x");
}

TEST_CASE("report page: the SVG sits in HTML without prolog or namespace addresses", "[webreport]")
{
  auto svg = inline_svg("<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svg width=\"1\" xmlns=\"http://www.w3.org/2000/svg\" "
                        "xmlns:xlink=\"http://www.w3.org/1999/xlink\"><g/></svg>\n");
  CHECK(svg == "<svg width=\"1\"><g/></svg>\n");
}
