// Jest transform for files imported as text (the SQL migrations of @cqrs/postgres).
module.exports = {
  process(source) {
    return { code: `module.exports = ${JSON.stringify(source)}; module.exports.default = module.exports;` };
  },
};
