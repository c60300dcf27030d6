-- Headless Neovim (0.7 or newer) with goroscope as the language server of one Go file, for
-- src/lsp/neovim.e2e.test.ts. Environment: GOROSCOPE_CMD (the server command, JSON array),
-- GOROSCOPE_FILE (the file to open), GOROSCOPE_OUT (where the received diagnostics are written
-- as JSON lines). Uses only the 0.7 API (vim.lsp.start_client, buf_attach_client).
local cmd = vim.fn.json_decode(os.getenv('GOROSCOPE_CMD'))
local file = os.getenv('GOROSCOPE_FILE')
local out = os.getenv('GOROSCOPE_OUT')

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local client = vim.lsp.start_client({
  name = 'goroscope',
  cmd = cmd,
  root_dir = vim.fn.fnamemodify(file, ':h'),
})
vim.lsp.buf_attach_client(buf, client)

local got = vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
local f = io.open(out, 'w')
if not got then
  f:write(vim.fn.json_encode({ error = 'no diagnostics within 30 s' }) .. '\n')
else
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    f:write(vim.fn.json_encode({ lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, severity = d.severity, source = d.source, code = d.code, message = d.message }) .. '\n')
  end
end
f:close()
vim.lsp.stop_client(client)
vim.wait(2000, function() return vim.lsp.client_is_stopped(client) end, 50)
vim.cmd('qa!')
