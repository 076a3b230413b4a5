#include "base/status.h"

namespace dynemu {

Status::Status(ErrorCode code, std::string message, std::string extra_members) {
  DYN_CHECK(code != ErrorCode::kOk);
  rep_ = std::make_unique<Rep>(Rep{code, std::move(message), std::move(extra_members)});
}

const std::string& Status::message() const {
  static const std::string kEmpty;
  return rep_ ? rep_->message : kEmpty;
}

const std::string& Status::extra_members() const {
  static const std::string kEmpty;
  return rep_ ? rep_->extra_members : kEmpty;
}

void Status::set_extra_members(std::string members) {
  DYN_CHECK(rep_ != nullptr);
  rep_->extra_members = std::move(members);
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(GetErrorInfo(rep_->code).short_name);
  if (!rep_->message.empty()) {
    out += ": ";
    out += rep_->message;
  }
  return out;
}

}  // namespace dynemu
