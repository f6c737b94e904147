#include "http/report_xlsx.hpp"

#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <vector>

#include "analytics/calendar.hpp"
#include "http/report_format.hpp"

namespace kaiku::http {
namespace {

// A private temporary file; deleted when this goes out of scope, whatever happened.
class TempFile {
 public:
  TempFile() = default;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }

  // Creates the file (mode 0600) in the system temp directory.
  Status create() {
    std::error_code ec;
    const std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
    if (ec) {
      return fail(Error::unavailable("xlsx export: cannot create a temporary file: no usable temp directory (" +
                                     ec.message() + ")"));
    }
    std::string name = (dir / "kaiku-export-XXXXXX").string();
    std::vector<char> buf(name.begin(), name.end());
    buf.push_back('\0');
    const int fd = ::mkstemp(buf.data());
    if (fd < 0) {
      return fail(Error::unavailable("xlsx export: cannot create a temporary file in " + dir.string() + ": " +
                                     std::strerror(errno)));
    }
    ::close(fd);
    path_.assign(buf.data());
    return {};
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A whole field as a finite number ("12", "64.35", "-3.5e-2"), else nullopt.
std::optional<double> as_number(const std::string& s) {
  if (s.empty()) return std::nullopt;
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

double width_of(const std::string& head, std::size_t group_columns, std::size_t col) {
  if (col < group_columns) return 28;
  if (head == "note") return 44;
  if (head == "reason") return 16;
  return std::max<double>(11, static_cast<double>(head.size()) + 2);
}

// Writes every line of `fields` below the title; the first line bold.
lxw_error write_sheet(lxw_workbook* wb, lxw_worksheet* ws, const analytics::Table& t, const std::string& title,
                      const std::vector<std::vector<std::string>>& fields) {
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_error err = worksheet_write_string(ws, 0, 0, title.c_str(), bold);
  if (err != LXW_NO_ERROR) return err;
  const std::size_t group_columns = t.group_by.size();
  for (std::size_t r = 0; r < fields.size(); ++r) {
    const auto row = static_cast<lxw_row_t>(r + 1);
    for (std::size_t c = 0; c < fields[r].size(); ++c) {
      const std::string& f = fields[r][c];
      const auto col = static_cast<lxw_col_t>(c);
      if (f.empty()) continue;  // a suppressed figure, or nothing to say: an empty cell
      if (r == 0) {
        err = worksheet_write_string(ws, row, col, f.c_str(), bold);
      } else if (c < group_columns) {
        err = worksheet_write_string(ws, row, col, f.c_str(), nullptr);  // ids and period keys stay text
      } else if (f == "true" || f == "false") {
        err = worksheet_write_boolean(ws, row, col, f == "true", nullptr);
      } else if (auto v = as_number(f)) {
        err = worksheet_write_number(ws, row, col, *v, nullptr);
      } else {
        err = worksheet_write_string(ws, row, col, f.c_str(), nullptr);
      }
      if (err != LXW_NO_ERROR) return err;
    }
  }
  if (!fields.empty()) {
    for (std::size_t c = 0; c < fields[0].size(); ++c) {
      const auto col = static_cast<lxw_col_t>(c);
      err = worksheet_set_column(ws, col, col, width_of(fields[0][c], group_columns, c), nullptr);
      if (err != LXW_NO_ERROR) return err;
    }
  }
  worksheet_freeze_panes(ws, 2, 0);
  return LXW_NO_ERROR;
}

}  // namespace

std::string report_title(const analytics::Table& t, std::string_view unit_name) {
  std::string out = t.indicator;
  out += " · ";
  if (!unit_name.empty()) {
    out += unit_name;
    out += " (" + t.unit + ")";
  } else {
    out += t.unit;
  }
  out += " · " + analytics::format_date(t.from) + " – " + analytics::format_date(t.to);
  if (!t.group_by.empty()) {
    out += " · by ";
    for (std::size_t i = 0; i < t.group_by.size(); ++i) {
      if (i > 0) out += ", ";
      out += analytics::dimension_name(t.group_by[i]);
    }
  }
  out += " · cells with fewer than " + std::to_string(t.threshold) + " answers are not shown";
  return out;
}

std::string report_file_name(const analytics::Table& t, std::string_view ext) {
  std::string name = "kaiku-" + t.indicator + "-" + t.unit + "-" + analytics::format_date(t.from) + "-" +
                     analytics::format_date(t.to) + "." + std::string(ext);
  for (auto& ch : name) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
                    ch == '_' || ch == '-';
    if (!ok) ch = '_';
  }
  return name;
}

Result<std::string> report_xlsx(const analytics::Table& t, const std::string& title) {
  const std::vector<std::vector<std::string>> fields = report_fields(t);
  TempFile file;
  if (auto made = file.create(); !made) return fail(made.error());

  lxw_workbook_options options{};
  options.constant_memory = LXW_FALSE;
  options.tmpdir = nullptr;
  options.use_zip64 = LXW_FALSE;
  lxw_workbook* wb = workbook_new_opt(file.path().c_str(), &options);
  if (wb == nullptr) return fail(Error::unavailable("xlsx export: libxlsxwriter could not start a workbook"));
  lxw_error err = LXW_NO_ERROR;
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Report");
  if (ws == nullptr) {
    err = LXW_ERROR_MEMORY_MALLOC_FAILED;
  } else {
    lxw_doc_properties props{};
    std::string doc_title = title, author = "Kaiku";
    props.title = doc_title.data();
    props.author = author.data();
    err = workbook_set_properties(wb, &props);
    if (err == LXW_NO_ERROR) err = write_sheet(wb, ws, t, title, fields);
  }
  // workbook_close writes the file and frees the workbook, also after an error.
  const lxw_error closed = workbook_close(wb);
  if (err == LXW_NO_ERROR) err = closed;
  if (err != LXW_NO_ERROR) {
    return fail(Error::unavailable(std::string("xlsx export: libxlsxwriter failed: ") + lxw_strerror(err)));
  }
  std::ifstream in(file.path(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return fail(Error::unavailable("xlsx export: cannot read back the temporary file"));
  if (bytes.size() < 4 || bytes.compare(0, 4, "PK\x03\x04") != 0) {
    return fail(Error::unavailable("xlsx export: the temporary file is not a zip archive"));
  }
  return bytes;
}

}  // namespace kaiku::http
