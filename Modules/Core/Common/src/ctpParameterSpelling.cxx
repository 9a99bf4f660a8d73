#include "ctpParameterSpelling.h"

#include <utility>

namespace ctp
{
namespace
{
ParameterSpelling &
Spelling()
{
  static ParameterSpelling spelling;
  return spelling;
}
} // namespace

std::string
SpellParameter(const std::string & name)
{
  const auto & spelling = Spelling();
  return spelling ? spelling(name) : name;
}

void
SetParameterSpelling(ParameterSpelling spelling)
{
  Spelling() = std::move(spelling);
}

} // namespace ctp
