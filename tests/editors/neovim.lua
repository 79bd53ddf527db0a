-- Headless Neovim as a user of `hindsight lsp`: open a postmortem, print
-- the diagnostics the server published, fix a line without saving, print
-- them again. Run by tests/neovim.rs:
--   HINDSIGHT_BIN=... HINDSIGHT_ROOT=... HINDSIGHT_FILE=... \
--     nvim --headless --clean -n -c 'luafile tests/editors/neovim.lua'
-- Works with Neovim 0.7 (Debian 12); 0.8 and later also have vim.lsp.start.
local bin = os.getenv('HINDSIGHT_BIN')
local root = os.getenv('HINDSIGHT_ROOT')
local file = os.getenv('HINDSIGHT_FILE')

local function fail(message)
  io.stderr:write(message .. '\n')
  vim.cmd('cquit 1')
end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({ name = 'hindsight', cmd = { bin, 'lsp' }, root_dir = root })
if not id then
  fail('hindsight lsp did not start')
end
vim.lsp.buf_attach_client(buf, id)

local names = { 'error', 'warning', 'info', 'hint' }
local function show(heading)
  local list = vim.diagnostic.get(buf)
  table.sort(list, function(a, b)
    if a.lnum ~= b.lnum then return a.lnum < b.lnum end
    if a.col ~= b.col then return a.col < b.col end
    return a.message < b.message
  end)
  io.stdout:write(heading .. '\n')
  for _, d in ipairs(list) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or '?'
    local message = vim.split(d.message, '\n')[1]
    io.stdout:write(string.format('%d:%d: %s[%s] %s\n', d.lnum + 1, d.col + 1, names[d.severity], code, message))
  end
end

if not vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 20) then
  fail('no diagnostics from hindsight lsp within 30 s')
end
show('opened:')

-- Fix the severity in the buffer, unsaved: the server re-checks the text.
local before = #vim.diagnostic.get(buf)
for n, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
  if line:match('^severity:') then
    vim.api.nvim_buf_set_lines(buf, n - 1, n, false, { 'severity: SEV2' })
  end
end
if not vim.wait(30000, function() return #vim.diagnostic.get(buf) < before end, 20) then
  fail('diagnostics did not follow the unsaved edit')
end
show('edited:')

vim.lsp.stop_client(id)
vim.wait(5000, function() return vim.lsp.get_client_by_id(id) == nil end, 20)
vim.cmd('qall!')
