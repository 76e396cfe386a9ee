#include <gtest/gtest.h>

#include "core/template.h"

namespace pgha {
namespace {

TEST(Template, SubstitutesVariables) {
  TemplateContext c;
  c.Set("name", "node1").Set("port", "5432");
  EXPECT_EQ(*RenderTemplate("server {{name}}:{{port}}\n", c, "t"), "server node1:5432\n");
}

TEST(Template, UnknownVariableIsAnErrorWithTheLine) {
  TemplateContext c;
  auto r = RenderTemplate("a\nb {{nmae}}\n", c, "fixtures/x.cfg");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "fixtures/x.cfg:2: unknown template variable \"nmae\"");
}

TEST(Template, SectionsRepeatAndStandaloneTagsTakeTheirLine) {
  TemplateContext c;
  c.Set("port", "5432");
  for (const char* n : {"a", "b"}) {
    TemplateContext item;
    item.Set("name", n);
    c.lists["nodes"].push_back(item);
  }
  auto r = RenderTemplate("listen\n{{#nodes}}\n  server {{name}} :{{port}}\n{{/nodes}}\nend\n", c, "t");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(*r, "listen\n  server a :5432\n  server b :5432\nend\n");
}

TEST(Template, FlagsAreConditions) {
  TemplateContext c;
  c.SetFlag("on", true).SetFlag("off", false);
  EXPECT_EQ(*RenderTemplate("x{{#on}} yes{{/on}}{{#off}} no{{/off}}\n", c, "t"), "x yes\n");
}

TEST(Template, UnclosedSectionIsAnError) {
  TemplateContext c;
  c.SetFlag("on", true);
  EXPECT_FALSE(RenderTemplate("{{#on}} x", c, "t").ok());
  EXPECT_FALSE(RenderTemplate("{{/on}}", c, "t").ok());
  EXPECT_FALSE(RenderTemplate("{{#missing}}x{{/missing}}", c, "t").ok());
}

}  // namespace
}  // namespace pgha
