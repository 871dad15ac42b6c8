#pragma once

#include "smo/ports/operator_prompt.hpp"

#include <deque>
#include <string>
#include <vector>

namespace smo::test {

class FakePrompt : public OperatorPrompt {
  public:
    bool can_ask() const override { return interactive; }
    std::optional<bool> ask_yes_no(const std::string& question) override {
        questions.push_back(question);
        if (answers.empty()) {
            return std::nullopt;
        }
        bool answer = answers.front();
        answers.pop_front();
        return answer;
    }

    bool interactive = true;
    std::deque<bool> answers;
    std::vector<std::string> questions;
};

} // namespace smo::test
