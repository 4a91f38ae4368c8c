#include "sim/grading/safe_files.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace archlab::grading {

namespace fs = std::filesystem;

namespace {
class Descriptor {
public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor()
  {
    if (fd_ >= 0)
      close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }
  void reset(int fd)
  {
    if (fd_ >= 0)
      close(fd_);
    fd_ = fd;
  }

private:
  int fd_;
};

std::string open_problem(int error)
{
  switch (error) {
  case ELOOP: return "is a link: a submission's files must be its own, not links (it was not read)";
  case ENOENT: return "is not in the submission";
  case ENOTDIR: return "is not in the submission (a part of its path is not a folder)";
  case EACCES: return "cannot be read (permission denied)";
  default: return "cannot be read";
  }
}
}  // namespace

bool is_link(const fs::path& path)
{
  struct stat info{};
  return lstat(path.c_str(), &info) == 0 && S_ISLNK(info.st_mode);
}

FileRead read_student_file(const fs::path& folder, const std::string& relative, std::uintmax_t max_bytes)
{
  FileRead read;
  Descriptor dir(open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() < 0) {
    read.problem = "cannot be read (its folder cannot be opened)";
    return read;
  }
  std::vector<std::string> parts;
  for (const auto& part : fs::path(relative).lexically_normal())
    if (!part.empty() && part != ".")
      parts.push_back(part.string());
  if (parts.empty() || parts.back() == "..") {
    read.problem = "is not a file in the submission";
    return read;
  }
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    int next = openat(dir.get(), parts[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (next < 0) {
      int error = errno;
      struct stat info{};
      if (error == ENOTDIR && fstatat(dir.get(), parts[i].c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(info.st_mode))
        error = ELOOP;  // O_DIRECTORY meets the link before O_NOFOLLOW does
      read.problem = open_problem(error);
      return read;
    }
    dir.reset(next);
  }
  // O_NONBLOCK: a FIFO planted in a submission must not hang the grader.
  Descriptor file(openat(dir.get(), parts.back().c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (file.get() < 0) {
    read.is_missing = errno == ENOENT;
    read.problem = open_problem(errno);
    return read;
  }
  struct stat info{};
  if (fstat(file.get(), &info) != 0) {
    read.problem = "cannot be read";
    return read;
  }
  if (!S_ISREG(info.st_mode)) {
    read.problem = "is not a regular file (it was not read)";
    return read;
  }
  if (info.st_nlink > 1) {
    read.problem = "has other hard links: a submission's files must be its own (it was not read)";
    return read;
  }
  if (static_cast<std::uintmax_t>(info.st_size) > max_bytes) {
    read.is_too_big = true;
    read.problem = "is " + std::to_string(info.st_size / 1024) + " KiB; at most " + std::to_string(max_bytes / 1024) + " KiB is read";
    return read;
  }
  std::string data;
  char buffer[65536];
  while (true) {
    ssize_t got = ::read(file.get(), buffer, sizeof buffer);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      read.problem = "cannot be read";
      return read;
    }
    if (got == 0)
      break;
    data.append(buffer, static_cast<std::size_t>(got));
    if (data.size() > max_bytes) {  // it grew while being read
      read.is_too_big = true;
      read.problem = "is more than " + std::to_string(max_bytes / 1024) + " KiB";
      return read;
    }
  }
  read.data = std::move(data);
  return read;
}

std::optional<NestingTooDeep> nesting_deeper_than(const std::string& text, std::size_t max_depth)
{
  enum class State { code, string, escape, line_comment, block_comment };
  State state = State::code;
  std::size_t depth = 0, line = 1, column = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    ++column;
    if (c == '\n') {
      ++line;
      column = 0;
    }
    switch (state) {
    case State::code:
      if (c == '"')
        state = State::string;
      else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/')
        state = State::line_comment;
      else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
        state = State::block_comment;
        ++i;
        ++column;
      } else if (c == '[' || c == '{') {
        if (++depth > max_depth)
          return NestingTooDeep{line, column};
      } else if ((c == ']' || c == '}') && depth > 0)
        --depth;
      break;
    case State::string:
      if (c == '\\')
        state = State::escape;
      else if (c == '"')
        state = State::code;
      break;
    case State::escape: state = State::string; break;
    case State::line_comment:
      if (c == '\n')
        state = State::code;
      break;
    case State::block_comment:
      if (c == '*' && i + 1 < text.size() && text[i + 1] == '/') {
        state = State::code;
        ++i;
        ++column;
      }
      break;
    }
  }
  return std::nullopt;
}

}  // namespace archlab::grading
